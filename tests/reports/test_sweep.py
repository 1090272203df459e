"""The sweeper (reports/services/sweep.py) on any database: runs whose worker died are retried a bounded
number of times, then failed with a Russian reason, and what their builds left on disk goes.

The broker half — queued runs the broker lost, a real worker killed mid-build — is in test_worker_death.py.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from reports.builders import ReportScope
from reports.models import ReportRun
from reports.services import report_run_execute, report_run_request, report_runs_sweep
from reports.services.runs import MAX_ATTEMPTS, report_run_file_name
from reports.services.sweep import WORKER_GONE, SweepResult
from reports.tasks import sweep_report_runs

AS_OF = datetime.date(2025, 4, 1)


@pytest.fixture
def short_times(settings):
    settings.REPORT_STALE_SECONDS = 60
    settings.REPORT_QUEUE_GRACE_SECONDS = 60


def _queued(world) -> ReportRun:
    # enqueue=False: the run stays queued, as if its message were still on its way.
    return report_run_request(
        actor=world.analyst,
        kind="fioko_form",
        fmt="xlsx",
        scope=ReportScope(roadmap_id=world.roadmap.pk),
        as_of=AS_OF,
        enqueue=False,
    )


def _running(world, *, silent_for: datetime.timedelta, attempts: int = 1) -> ReportRun:
    run = _queued(world)
    heard = timezone.now() - silent_for
    ReportRun.objects.filter(pk=run.pk).update(
        status="running", attempts=attempts, started_at=heard, heartbeat_at=heard, progress=40
    )
    run.refresh_from_db()
    return run


def _leave_scratch(media_root: Path, run: ReportRun) -> Path:
    """What a killed build leaves: its scratch folder with a half file and a builder's parts folder."""
    final = Path(media_root) / report_run_file_name(run)
    parts = final.parent / f".{final.name}.k1ll3d.tmp" / ".parts-x"
    parts.mkdir(parents=True)
    (parts.parent / final.name).write_bytes(b"half")
    (parts / "letter.pdf").write_bytes(b"%PDF half")
    return final


def _files(media_root: Path) -> list[Path]:
    return sorted(p.relative_to(media_root) for p in Path(media_root).rglob("*"))


def test_running_run_silent_past_the_stale_time_is_retried_and_built_without_leftovers(
    world, short_times, media_root, django_capture_on_commit_callbacks
):
    run = _running(world, silent_for=datetime.timedelta(seconds=61))
    final = _leave_scratch(media_root, run)

    with django_capture_on_commit_callbacks(execute=True):
        assert report_runs_sweep() == SweepResult(requeued=1, failed=0)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == ("done", 2, "")
    assert run.task_id
    assert [p for p in _files(media_root) if p.name.startswith(".")] == []
    assert final.is_file()


def test_run_that_used_up_its_attempts_is_failed_with_a_russian_reason_and_its_leftovers_removed(
    world, short_times, media_root
):
    run = _running(world, silent_for=datetime.timedelta(minutes=5), attempts=MAX_ATTEMPTS)
    final = _leave_scratch(media_root, run)

    assert report_runs_sweep() == SweepResult(requeued=0, failed=1)

    run.refresh_from_db()
    assert run.status == "failed" and run.error == WORKER_GONE
    assert "обработчик отчётов остановился" in run.error
    assert run.finished_at is not None
    assert not final.parent.exists() or not any(final.parent.iterdir())
    assert report_run_execute(run_id=run.pk).status == "failed"  # a late redelivery does nothing


def test_run_with_a_fresh_heartbeat_is_left_to_its_worker(world, short_times, media_root):
    run = _running(world, silent_for=datetime.timedelta(seconds=30))
    final = _leave_scratch(media_root, run)

    assert report_runs_sweep() == SweepResult(requeued=0, failed=0)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress) == ("running", 1, 40)
    assert (final.parent / f".{final.name}.k1ll3d.tmp").is_dir()  # a live build's scratch stays


def test_second_message_for_a_run_a_live_worker_builds_changes_nothing(world, short_times, media_root):
    run = _running(world, silent_for=datetime.timedelta(seconds=5))
    final = _leave_scratch(media_root, run)

    assert report_run_execute(run_id=run.pk).status == "running"

    run.refresh_from_db()
    assert (run.attempts, run.progress) == (1, 40)
    assert (final.parent / f".{final.name}.k1ll3d.tmp" / final.name).read_bytes() == b"half"


def test_queued_run_is_left_alone_when_tasks_run_in_process(world, short_times):
    run = _queued(world)
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    assert report_runs_sweep() == SweepResult(requeued=0, failed=0)

    run.refresh_from_db()
    assert run.status == "queued"


def test_sweep_task_reports_what_it_did(world, short_times):
    _running(world, silent_for=datetime.timedelta(hours=1), attempts=MAX_ATTEMPTS)

    assert sweep_report_runs.apply().get() == {"requeued": 0, "failed": 1}


def test_sweeper_runs_every_few_minutes_from_the_beat_schedule(settings):
    from config.celery import app

    entry = app.conf.beat_schedule["sweep-report-runs"]
    assert entry["task"] == "reports.tasks.sweep_report_runs"
    assert entry["schedule"] == settings.REPORT_SWEEP_SECONDS <= 300
