"""The sweeper: runs nobody is building any more are retried a few times, then failed with a reason."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.celery import broker_task_ids
from reports.models import ReportRun
from reports.services.files import remove_leftovers
from reports.services.runs import (
    MAX_ATTEMPTS,
    has_live_worker,
    report_run_enqueue,
    report_run_file_name,
    stale_after,
)

logger = logging.getLogger(__name__)

Status = ReportRun.Status

WORKER_GONE = (
    "Формирование прервано: обработчик отчётов остановился, и повторные попытки не помогли. "
    "Запросите отчёт ещё раз; если ошибка повторится, сообщите администратору."
)
RETRYING = "Обработчик отчётов остановился или очередь потеряла задание; отчёт поставлен в очередь повторно."
QUEUE_LOST = (
    "Отчёт не был сформирован: очередь заданий потеряла его, и повторная постановка не помогла. "
    "Запросите отчёт ещё раз; если ошибка повторится, сообщите администратору."
)


@dataclass(frozen=True)
class SweepResult:
    requeued: int = 0
    failed: int = 0


def _abandoned(now: datetime.datetime) -> list[ReportRun]:
    """Running runs silent past the stale time, and queued runs past the grace time the broker lost."""
    grace = datetime.timedelta(seconds=settings.REPORT_QUEUE_GRACE_SECONDS)
    candidates = list(ReportRun.objects.silent(running_before=now - stale_after(), queued_before=now - grace))
    if not any(run.status == Status.QUEUED for run in candidates):
        return candidates
    held = broker_task_ids()
    # A broker that cannot be asked (in-process tasks) loses nothing: its queued runs are left alone.
    return [
        run
        for run in candidates
        if run.status == Status.RUNNING or (held is not None and run.task_id not in held)
    ]


@transaction.atomic
def _sweep_one(run_id: int, now: datetime.datetime) -> bool | None:
    """Requeue (True) or fail (False) one abandoned run; None when it moved on since it was listed."""
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.is_finished:
        return None
    if has_live_worker(run, now):
        return None
    remove_leftovers(report_run_file_name(run))
    lost_in_queue = run.status == Status.QUEUED
    # A lost message counts as an attempt too, so a broker that keeps losing it cannot loop forever.
    attempts = run.attempts + (1 if lost_in_queue else 0)
    if attempts >= MAX_ATTEMPTS:
        run.status, run.finished_at = Status.FAILED, now
        run.error = QUEUE_LOST if lost_in_queue else WORKER_GONE
        run.save(update_fields=["status", "finished_at", "error"])
        return False
    run.status, run.progress, run.attempts, run.error = Status.QUEUED, 0, attempts, RETRYING
    run.save(update_fields=["status", "progress", "attempts", "error"])
    transaction.on_commit(lambda: report_run_enqueue(run.pk))
    return True


def report_runs_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Retry, up to MAX_ATTEMPTS in all, the runs whose worker died or whose message the broker lost; fail
    them past that with a Russian reason. Their leftover files go either way. Every REPORT_SWEEP_SECONDS."""
    now = now or timezone.now()
    outcomes = [_sweep_one(run.pk, now) for run in _abandoned(now)]
    result = SweepResult(requeued=outcomes.count(True), failed=outcomes.count(False))
    if result.requeued or result.failed:
        logger.warning("report runs swept: %s requeued, %s failed", result.requeued, result.failed)
    return result
