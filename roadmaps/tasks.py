"""Celery tasks: they take ids, re-read, call one service and own their retries."""

from __future__ import annotations

from celery import Task, shared_task

from roadmaps import services
from roadmaps.services import imports


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
