"""The FIOKO form and the monitoring report at region size on the national data set (issue 12).

A national region holds about 33,000 checkpoints; the goal is a region of 1,000,000 and more. Each report
is built over the first roadmaps (by id, not drafts) whose checkpoints add up to 250,000 and to
1,000,000, as one region's request would be — the builders see only a list of roadmap ids. Every build
runs in a process of its own, so the wall time is the builder's and the peak resident memory (ru_maxrss)
is that build's alone: flat memory means the two sizes peak alike.

The national data set is made by bench/national.py (reused while the generator is unchanged).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
SIZES = (250_000, 1_000_000)
BUILDS = (("fioko_form", "xlsx"), ("monitoring", "pdf"), ("monitoring", "xlsx"))
GOAL_SECONDS = 30


def _build(code: str, fmt: str, checkpoints: int, path: Path) -> dict:
    """Runs in the child process: choose the roadmaps, build the report into `path`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from reports.builders import BuildRequest, ReportScope, get_builder
    from roadmaps.models import Checkpoint, Roadmap

    per_roadmap = dict(
        Checkpoint.objects.filter(activity__roadmap__in=Roadmap.objects.not_draft())
        .values_list("activity__roadmap_id")
        .annotate(n=Count("pk"))
        .order_by("activity__roadmap_id")
    )
    chosen, total = [], 0
    for roadmap_id, n in per_roadmap.items():
        if total >= checkpoints:
            break
        chosen.append(roadmap_id)
        total += n
    request = BuildRequest(ReportScope(roadmap_id=chosen[0]), chosen, timezone.localdate(), fmt)
    started = time.perf_counter()
    get_builder(code).build(request, path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"roadmaps": len(chosen), "checkpoints": total, "seconds": seconds, "peak_mb": peak_mb}


def main() -> int:
    from national import ensure_national_database

    env = {**os.environ, "DATABASE_URL": ensure_national_database(), "DB_STATEMENT_TIMEOUT": "0"}
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench_reports_national_") as tmp:
        for code, fmt in BUILDS:
            runs = []
            for size in SIZES:
                path = Path(tmp) / f"{code}-{size}.{fmt}"
                child = subprocess.run(
                    [sys.executable, __file__, "--build", code, fmt, str(size), str(path)],
                    cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900,
                )  # fmt: skip
                if child.returncode != 0:
                    print(f"reports national: {code} {fmt} FAILED: {child.stderr.strip()[-500:]}")
                    failed += 1
                    break
                runs.append(
                    {**json.loads(child.stdout.strip().splitlines()[-1]), "mb": path.stat().st_size / 2**20}
                )
            if len(runs) == len(SIZES):
                small, big = runs
                print(
                    f"reports national: {code} {fmt} over {big['checkpoints']:,} checkpoints "
                    f"({big['roadmaps']} roadmaps) {big['seconds']:.1f} s (goal ≤ {GOAL_SECONDS} s), "
                    f"peak {big['peak_mb']:.0f} MB, file {big['mb']:.1f} MB; over {small['checkpoints']:,}: "
                    f"{small['seconds']:.1f} s, peak {small['peak_mb']:.0f} MB"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        code, fmt, size, path = sys.argv[2:6]
        print(json.dumps(_build(code, fmt, int(size), Path(path))))
        sys.exit(0)
    sys.exit(main())
