"""A build's heartbeat (reports/builders/base.py's hook, stored by the run service): written with the
progress and by `keep_alive()` between batches, at most every REPORT_HEARTBEAT_SECONDS."""

import datetime
import time

import pytest

from reports.builders import REGISTRY, ReportBuilder, ReportScope
from reports.models import ReportRun
from reports.services import report_run_execute, report_run_request


class _Beating(ReportBuilder):
    code = "test_beating"
    title = "Отчёт с пульсом"
    formats = ("xlsx",)
    heard: list

    def build(self, request, path):
        for _ in range(3):
            time.sleep(0.01)
            request.keep_alive()  # a batch that moved no percent
            self.heard.append(ReportRun.objects.get(status="running").heartbeat_at)
        path.write_bytes(b"report")


@pytest.fixture
def beating():
    builder = _Beating()
    builder.heard = []
    REGISTRY[builder.code] = builder
    yield builder
    del REGISTRY[builder.code]


def _execute(world) -> ReportRun:
    run = report_run_request(
        actor=world.analyst,
        kind=_Beating.code,
        fmt="xlsx",
        scope=ReportScope(roadmap_id=world.roadmap.pk),
        as_of=datetime.date(2025, 4, 1),
        enqueue=False,
    )
    return report_run_execute(run_id=run.pk)


def test_keep_alive_between_batches_moves_the_heartbeat(world, beating, settings):
    settings.REPORT_HEARTBEAT_SECONDS = 0

    assert _execute(world).status == "done"

    assert len(set(beating.heard)) == 3
    assert beating.heard == sorted(beating.heard)


def test_heartbeat_is_written_at_most_every_few_seconds(world, beating, settings):
    settings.REPORT_HEARTBEAT_SECONDS = 60

    run = _execute(world)

    # The first progress report writes it; the next two, within the minute, cost no query.
    [heard] = set(beating.heard)
    assert heard > run.started_at
