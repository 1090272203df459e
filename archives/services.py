"""Region archives: request, build in a worker, publish by rename, expire.

The lifecycle is the report runs' (reports/services/runs.py): the request commits a queued row and sends
its id after the commit; the worker claims the row under a lock, writes the zip in a scratch folder and
publishes it by rename (no half file is ever downloadable); a failure is kept on the row in Russian.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from archives.export import write_archive
from archives.models import RegionArchive
from archives.rules import archive_organizations, may_request_region_archives
from organizations.models import Organization
from reports.services.files import publish_atomically, remove_leftovers

logger = logging.getLogger(__name__)

Status = RegionArchive.Status
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)
MAX_ATTEMPTS = 3

QUEUE_UNAVAILABLE = (
    "Очередь заданий сейчас недоступна, поэтому архив не поставлен в очередь и формироваться не будет. "
    "Попробуйте через несколько минут; если ошибка повторится, сообщите администратору."
)


def friendly_error(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        reason = "формирование заняло больше допустимого времени и было остановлено"
    elif isinstance(exc, TRANSIENT_ERRORS):
        reason = "временный сбой базы данных или файлового хранилища"
    else:
        reason = "внутренняя ошибка"
    detail = f"{type(exc).__name__}: {exc}"[:500]
    advice = "Попробуйте ещё раз или сообщите администратору."
    return f"Не удалось сформировать архив ({reason}). {advice} [{detail}]"


@transaction.atomic
def region_archive_request(*, actor, organization: Organization) -> RegionArchive:
    """Queue «Архив данных региона» of `organization`'s subtree for `actor` (its staff)."""
    if not may_request_region_archives(actor):
        raise PermissionDenied("Архив данных региона запрашивают сотрудники органа управления.")
    if not archive_organizations(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": "Архив можно запросить только по своей организации."})
    archive = RegionArchive(organization=organization, requested_by=actor)
    archive.full_clean()
    archive.save()
    transaction.on_commit(lambda: region_archive_enqueue(archive.pk))
    return archive


def region_archive_enqueue(archive_id: int) -> None:
    from archives.tasks import build_region_archive

    task_id = str(uuid.uuid4())
    RegionArchive.objects.filter(pk=archive_id).update(task_id=task_id)
    try:
        build_region_archive.apply_async(args=[archive_id], task_id=task_id)
    except Exception:
        # The broker is down (or, in eager mode, the task's on_failure already failed the row).
        logger.exception("region archive %s could not be built or enqueued", archive_id)
        waiting = RegionArchive.objects.filter(pk=archive_id, status=Status.QUEUED)
        waiting.filter(error="").update(error=QUEUE_UNAVAILABLE)
        waiting.update(status=Status.FAILED, finished_at=timezone.now())


def region_archive_file_name(archive: RegionArchive) -> str:
    return f"archives/{archive.created_at:%Y/%m}/{archive.pk}-region-archive.zip"


def _claim(archive_id: int) -> RegionArchive | None:
    with transaction.atomic():
        archive = RegionArchive.objects.select_for_update().get(pk=archive_id)
        if archive.is_finished or archive.status == Status.RUNNING:
            return None  # a redelivered message: finished, or another worker is on it (the sweeper decides)
        if archive.attempts >= MAX_ATTEMPTS:
            archive.status, archive.finished_at = Status.FAILED, timezone.now()
            archive.error = "Архив не удалось сформировать после нескольких попыток. Сообщите администратору."
            archive.save(update_fields=["status", "finished_at", "error"])
            return None
        archive.status, archive.attempts = Status.RUNNING, archive.attempts + 1
        archive.started_at, archive.error = timezone.now(), ""
        archive.save(update_fields=["status", "attempts", "started_at", "error"])
    return archive


def region_archive_build(*, archive_id: int) -> RegionArchive:
    """Write the archive's zip, publish it atomically and mark it done (or failed, saying why).

    Transient errors put it back in the queue and propagate so the task retries.
    """
    archive = _claim(archive_id)
    if archive is None:
        return RegionArchive.objects.get(pk=archive_id)
    name = region_archive_file_name(archive)
    remove_leftovers(name)
    written: dict = {}

    def write(path) -> None:
        written["manifest"] = write_archive(
            organization_id=archive.organization_id, path=path, created_at=archive.started_at
        )

    try:
        checksum, size = publish_atomically(name, write)
    except TRANSIENT_ERRORS as exc:
        RegionArchive.objects.filter(pk=archive.pk).update(status=Status.QUEUED, error=friendly_error(exc))
        raise
    except Exception as exc:
        logger.exception("region archive %s failed", archive.pk)
        region_archive_mark_failed(archive_id=archive.pk, error=friendly_error(exc))
        return RegionArchive.objects.get(pk=archive.pk)
    now = timezone.now()
    RegionArchive.objects.filter(pk=archive.pk).update(
        status=Status.DONE,
        file=name,
        size=size,
        sha256=checksum,
        counts=written["manifest"]["counts"],
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.ARCHIVE_KEEP_DAYS),
    )
    return RegionArchive.objects.get(pk=archive.pk)


def region_archive_mark_failed(*, archive_id: int, error: str) -> None:
    RegionArchive.objects.filter(pk=archive_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )


STUCK = "Архив не сформирован: задание не завершилось за отведённое время. Запросите архив ещё раз."


def region_archives_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the files of archives kept past ARCHIVE_KEEP_DAYS; fail builds stuck past the time limit."""
    now = now or timezone.now()
    expired = 0
    for archive in RegionArchive.objects.filter(status=Status.DONE, expires_at__lte=now).only("pk", "file"):
        if archive.file:
            default_storage.delete(archive.file.name)
        expired += RegionArchive.objects.filter(pk=archive.pk, status=Status.DONE).update(
            status=Status.EXPIRED, file=""
        )
    limit = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 600)
    stuck = RegionArchive.objects.filter(status__in=[Status.QUEUED, Status.RUNNING], created_at__lte=limit)
    failed = stuck.update(status=Status.FAILED, error=STUCK, finished_at=now)
    return {"expired": expired, "failed": failed}
