"""Celery tasks: they take ids, call one service and own their retries."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from archives import services


class RegionArchiveTask(Task):
    """Marks the archive failed when the task gives up (retries exhausted or an unexpected error)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        archive_id = args[0] if args else kwargs.get("archive_id")
        if archive_id is not None:
            services.region_archive_mark_failed(archive_id=archive_id, error=services.friendly_error(exc))


@shared_task(
    bind=True,
    base=RegionArchiveTask,
    name="archives.tasks.build_region_archive",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + 60,
    ignore_result=True,
)
def build_region_archive(self, archive_id: int) -> str:
    return services.region_archive_build(archive_id=archive_id).status


@shared_task(name="archives.tasks.sweep_region_archives")
def sweep_region_archives() -> dict[str, int]:
    return services.region_archives_sweep()
