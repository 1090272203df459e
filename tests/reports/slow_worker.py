"""A Celery app for `celery -A tests.reports.slow_worker worker`: the portal's app plus a test-only report
builder slow enough (about STEPS × STEP_SECONDS) to kill its worker in the middle, deterministically."""

import os
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from config.celery import app  # noqa: E402
from reports.builders import BuildRequest, ReportBuilder, register  # noqa: E402

STEPS = 25
STEP_SECONDS = 0.2


class SlowBuilder(ReportBuilder):
    code = "test_slow"
    title = "Медленный отчёт"
    formats = ("xlsx",)

    def build(self, request: BuildRequest, path: Path) -> None:
        # A parts folder beside the target, as the cover letter's archive makes one.
        parts = Path(tempfile.mkdtemp(dir=path.parent, prefix=".parts-"))
        with path.open("wb") as handle:
            for step in range(STEPS):
                (parts / f"{step}.part").write_bytes(b"x" * 1024)
                handle.write(b"row\n" * 1024)
                time.sleep(STEP_SECONDS)
                request.report_progress(100 * (step + 1) // STEPS)


if os.environ.get("REGISTER_SLOW_BUILDER"):
    register(SlowBuilder())

__all__ = ["SlowBuilder", "app"]
