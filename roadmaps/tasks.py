"""Celery tasks: they take ids, re-read, call one service and own their retries."""

from __future__ import annotations

import datetime

from celery import Task, shared_task
from django.utils import timezone

from roadmaps import reporting_periods, services
from roadmaps.services import imports, notices

PERIOD_CLOSING_BATCH = 500  # organisations per task: a region's 2,000 schools are four tasks


# No retries of its own: the beat runs it again in five minutes, and it picks up whatever is still stale.
@shared_task(name="roadmaps.tasks.refresh_outcome_snapshots")
def refresh_outcome_snapshots(roadmap_ids: list[int] | None = None) -> int:
    return services.outcome_snapshots_refresh(roadmap_ids=roadmap_ids)


class ImportUploadTask(Task):
    """Refuses the upload when the task gives up, so its progress page stops waiting."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        upload_id = args[0] if args else kwargs.get("upload_id")
        if upload_id is not None:
            imports.import_upload_refuse(upload_id=upload_id, refusal=imports.FAILED)


@shared_task(
    base=ImportUploadTask,
    name="roadmaps.tasks.parse_import_upload",
    autoretry_for=imports.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def parse_import_upload(upload_id: int) -> str:
    return imports.import_upload_parse(upload_id=upload_id)


@shared_task(name="roadmaps.tasks.expire_import_uploads")
def expire_import_uploads() -> int:
    return imports.import_uploads_expire()


@shared_task(name="roadmaps.tasks.announce_period_closing")
def announce_period_closing(today: str | None = None) -> int:
    """Daily: when the quarter ends soon, one task per batch of organisations tells their coordinators.

    `today` (ISO) is for a run by hand; beat gives none."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    span = notices.closing_quarter(day)
    if span is None:
        return 0
    organization_ids = notices.period_closing_organizations(span)
    quarter = (span.first_day.year, (span.first_day.month - 1) // 3 + 1)
    for start in range(0, len(organization_ids), PERIOD_CLOSING_BATCH):
        notify_period_closing.delay(*quarter, organization_ids[start : start + PERIOD_CLOSING_BATCH])
    return len(organization_ids)


@shared_task(
    name="roadmaps.tasks.notify_period_closing",
    autoretry_for=imports.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def notify_period_closing(year: int, number: int, organization_ids: list[int]) -> int:
    # A retry creates nothing twice: each organisation's notice has its own unique key per quarter.
    return notices.period_closing(
        span=reporting_periods.quarter(year, number), organization_ids=organization_ids
    )
