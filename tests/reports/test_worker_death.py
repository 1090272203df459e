"""Runs survive worker death (issue 15), on PostgreSQL + Redis with real `celery worker` processes.

A worker is killed with SIGKILL in the middle of a build; a new worker (with beat, so the sweeper runs on
its schedule) must bring the run to `done` or `failed` within the configured times, leaving no temporary
file or parts folder. The times are shortened through the same environment variables production sets.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app, broker_task_ids
from reports.builders import REGISTRY, ReportScope
from reports.models import ReportRun
from reports.services import report_run_request, report_runs_sweep
from reports.services.sweep import RETRYING, SweepResult
from reports.tasks import generate_report_run
from tests.reports.slow_worker import STEP_SECONDS, STEPS, SlowBuilder

ROOT = Path(__file__).resolve().parents[2]
TIMES = {
    "REPORT_HEARTBEAT_SECONDS": "1",
    "REPORT_STALE_SECONDS": "3",
    "REPORT_QUEUE_GRACE_SECONDS": "3",
    "REPORT_SWEEP_SECONDS": "2",
    "BROKER_VISIBILITY_TIMEOUT": "6",
}
BUILD_SECONDS = STEPS * STEP_SECONDS
WORKER_START_SECONDS = 15  # two cores shared with other test runs: a cold `celery worker` can be slow

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="worker death is tested on PostgreSQL with a Redis broker (DATABASE_URL, CELERY_BROKER_URL)",
    ),
    pytest.mark.django_db(transaction=True),  # the workers must see the committed data
]


@pytest.fixture
def slow_builder(real_broker):
    REGISTRY[SlowBuilder.code] = SlowBuilder()
    app.control.purge()
    yield
    del REGISTRY[SlowBuilder.code]
    app.control.purge()


@contextmanager
def _worker(media_root: Path, log: Path, *, beat: bool, **settings: str) -> Iterator[subprocess.Popen]:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        **TIMES,
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",  # the test database
        "MEDIA_ROOT": str(media_root),
        "REGISTER_SLOW_BUILDER": "1",
        **settings,
    }
    command = [sys.executable, "-m", "celery", "-A", "tests.reports.slow_worker", "worker", "-c", "1"]
    command += ["--loglevel=INFO", "-n", f"{log.stem}@%h", "--without-mingle", "--without-gossip"]
    if beat:
        command += ["-B", "--schedule", str(log.with_suffix(".beat"))]
    with log.open("ab") as out:
        # Its own session: SIGKILL to the group takes the pool's children too, as a machine failure would.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout:.0f} s; worker log:\n{log.read_text()[-3000:]}")


def _request(world) -> ReportRun:
    return report_run_request(
        actor=world.analyst,
        kind=SlowBuilder.code,
        fmt="xlsx",
        scope=ReportScope(roadmap_id=world.roadmap.pk),
        as_of=datetime.date(2025, 4, 1),
    )


def _temporaries(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.name.startswith(".")]


@pytest.mark.parametrize("killed_at", [4, 60], ids=["at the start", "past half"])
def test_run_of_a_worker_killed_mid_build_ends_done_or_failed_and_leaves_no_files(
    world, slow_builder, media_root, tmp_path, killed_at
):
    log = tmp_path / "first.log"
    with _worker(media_root, log, beat=False) as first:
        run = _request(world)
        _wait_for(
            lambda: (
                ReportRun.objects.filter(pk=run.pk, status="running", progress__gte=killed_at).exists()
                and _temporaries(media_root)
            ),
            WORKER_START_SECONDS + BUILD_SECONDS,
            "the first worker did not start building",
            log,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == "running" and _temporaries(media_root)  # what a dead worker leaves

    log = tmp_path / "second.log"
    stale, sweep = int(TIMES["REPORT_STALE_SECONDS"]), int(TIMES["REPORT_SWEEP_SECONDS"])
    with _worker(media_root, log, beat=True):
        _wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).is_finished,
            WORKER_START_SECONDS + stale + sweep + BUILD_SECONDS + 5,
            "the run did not finish after the worker's death",
            log,
        )
    run.refresh_from_db()
    assert run.status in ("done", "failed"), run.error
    if run.status == "done":
        assert run.attempts == 2 and Path(run.file.path).is_file()
    else:
        assert run.error
    assert _temporaries(media_root) == []


def test_build_past_the_time_limit_is_stopped_and_its_run_failed_with_the_reason(
    world, slow_builder, media_root, tmp_path
):
    log = tmp_path / "limited.log"
    with _worker(media_root, log, beat=False, REPORT_TIME_LIMIT="2"):
        run = report_run_request(
            actor=world.analyst,
            kind=SlowBuilder.code,
            fmt="xlsx",
            scope=ReportScope(roadmap_id=world.roadmap.pk),
            as_of=datetime.date(2025, 4, 1),
            enqueue=False,
        )
        # The limits travel in the message, put there by the sender: as a web process started with
        # REPORT_TIME_LIMIT=2 would send it (the worker has the same setting, for the reason's wording).
        generate_report_run.apply_async(args=[run.pk], soft_time_limit=2, time_limit=62)
        _wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).is_finished,
            WORKER_START_SECONDS + BUILD_SECONDS,
            "the run past its time limit did not finish",
            log,
        )
    run.refresh_from_db()
    assert run.status == "failed"
    assert "формирование заняло больше допустимых 1 мин. и было остановлено" in run.error  # 2 s, at least 1
    assert run.progress < 100
    assert _temporaries(media_root) == []


def test_queued_run_the_broker_lost_is_sent_again_and_one_it_holds_is_left_alone(
    world, slow_builder, settings
):
    settings.REPORT_QUEUE_GRACE_SECONDS = 60
    lost, held = _request(world), _request(world)
    lost.refresh_from_db()
    held.refresh_from_db()  # enqueued after commit: now with their message ids
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        # Redis restarted without persistence: the message of `lost` is gone, the one of `held` stayed.
        client.delete(app.conf.task_default_queue)
        app.send_task("reports.tasks.generate_report_run", args=[held.pk], task_id=held.task_id)
        client.lpush(app.conf.task_default_queue, b"not a kombu message")  # another app's: skipped
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    ReportRun.objects.filter(pk__in=[lost.pk, held.pk]).update(heartbeat_at=earlier)

    assert report_runs_sweep() == SweepResult(requeued=1, failed=0)

    requeued = ReportRun.objects.get(pk=lost.pk)
    assert (requeued.status, requeued.attempts, requeued.error) == ("queued", 1, RETRYING)
    assert requeued.task_id != lost.task_id
    assert ReportRun.objects.get(pk=held.pk).task_id == held.task_id
    assert {requeued.task_id, held.task_id} <= broker_task_ids()
