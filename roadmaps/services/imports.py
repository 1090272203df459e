"""Uploads for import: kept, parsed once in a worker, read by the preview and the confirmation, gone
on confirmation, on cancel or after IMPORT_UPLOAD_HOURS."""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from organizations.models import Organization
from roadmaps.access import import_upload_get_for_user
from roadmaps.importing import ImportRefused, ParsedRoadmap, parse_file
from roadmaps.importing.limits import ReadLimits
from roadmaps.importing.uploads import upload_delete, upload_read, upload_store, upload_token
from roadmaps.models import ImportUpload

logger = logging.getLogger(__name__)

# Worth another attempt by the task: the database hiccuped. Anything else refuses the upload.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
FAILED = "Не удалось разобрать файл из-за внутренней ошибки. Попробуйте ещё раз или сообщите администратору."
NOT_QUEUED = "Не удалось поставить файл в очередь на разбор. Попробуйте загрузить его ещё раз позже."
FILE_GONE = "Файл загрузки не найден в хранилище: загрузите его ещё раз."
# A file that kills its worker (memory, a library crash) comes back after every restart: stop at this many.
MAX_ATTEMPTS = 3
WORKER_LOST = (
    "Разбор файла прерывался несколько раз: файл слишком сложен для импорта. "
    "Разделите таблицу на несколько файлов или сохраните её заново в Word или Excel."
)
_SWEEP_BATCH = 500
_UPLOADS_FOLDER = "imports"  # roadmaps/importing/uploads.py keeps files under imports/<user>/<token>/

Status = ImportUpload.Status


def import_read_limits() -> ReadLimits:
    """The portal's limits on what the importer reads (config/settings.py, from the environment)."""
    return ReadLimits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_cells=settings.IMPORT_MAX_CELLS,
    )


def _enqueue(upload_id: int) -> None:
    from roadmaps.tasks import parse_import_upload

    try:
        parse_import_upload.delay(upload_id)
    except Exception:
        # The broker is down, or (no broker) the parse itself failed in this process after its retries.
        logger.exception("import upload %s could not be parsed or queued", upload_id)
        status = ImportUpload.objects.filter(pk=upload_id).values_list("status", flat=True).first()
        if status in (Status.QUEUED, Status.PARSING):
            refusal = NOT_QUEUED if status == Status.QUEUED else FAILED
            import_upload_refuse(upload_id=upload_id, refusal=refusal)


@transaction.atomic
def import_upload_create(*, actor, owner: Organization, file_name: str, data: bytes) -> ImportUpload:
    """Keep an uploaded document and queue its parsing; returns at once, the parse runs in a worker
    (in this process when there is no broker)."""
    token = upload_token()
    upload = ImportUpload(
        token=token,
        uploaded_by=actor,
        owner=owner,
        file_name=Path(file_name).name[:255],
        size=len(data),
        expires_at=timezone.now() + datetime.timedelta(hours=settings.IMPORT_UPLOAD_HOURS),
    )
    upload.stored_name = upload_store(user_id=actor.pk, token=token, data=data, filename=file_name)
    try:
        upload.full_clean()
        upload.save()
    except Exception:
        upload_delete(upload.stored_name)
        raise
    transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _progress_writer(upload_id: int):
    last = [0]

    def write(percent: int) -> None:
        if percent - last[0] >= 5:
            last[0] = percent
            ImportUpload.objects.filter(pk=upload_id, status=Status.PARSING).update(progress=percent)

    return write


def _start(upload_id: int) -> ImportUpload | None:
    with transaction.atomic():
        upload = ImportUpload.objects.select_for_update().defer("parsed").filter(pk=upload_id).first()
        if upload is None or upload.is_finished:
            return None  # cancelled meanwhile, or a redelivered message for a parsed upload
        if upload.attempts >= MAX_ATTEMPTS:
            import_upload_refuse(upload_id=upload.pk, refusal=WORKER_LOST)
            return None
        upload.status, upload.progress, upload.attempts = Status.PARSING, 0, upload.attempts + 1
        upload.save(update_fields=["status", "progress", "attempts"])
    return upload


def import_upload_parse(*, upload_id: int) -> str:
    """Parse the upload's file once, with the portal's limits, reporting progress; store the result
    (ready) or the Russian reason (refused). Returns the status, «gone» for an upload cancelled meanwhile.

    Database hiccups propagate so the task retries; anything else refuses the upload with a message."""
    upload = _start(upload_id)
    if upload is None:
        found = ImportUpload.objects.filter(pk=upload_id).values_list("status", flat=True).first()
        return found or "gone"
    try:
        data = upload_read(upload.stored_name)
        parsed = parse_file(
            data, upload.file_name, limits=import_read_limits(), progress=_progress_writer(upload.pk)
        )
    except ImportRefused as exc:
        return import_upload_refuse(upload_id=upload.pk, refusal=exc.message)
    except FileNotFoundError:
        return import_upload_refuse(upload_id=upload.pk, refusal=FILE_GONE)
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        logger.exception("import upload %s failed to parse", upload.pk)
        return import_upload_refuse(upload_id=upload.pk, refusal=FAILED)
    ImportUpload.objects.filter(pk=upload.pk, status=Status.PARSING).update(
        status=Status.READY, progress=100, parsed=json.dumps(parsed.to_dict(), ensure_ascii=False)
    )
    return Status.READY


def import_upload_refuse(*, upload_id: int, refusal: str) -> str:
    """Finish an upload that will not import (bad file, a limit passed, the task gave up)."""
    ImportUpload.objects.filter(pk=upload_id).exclude(status=Status.READY).update(
        status=Status.REFUSED, progress=100, refusal=refusal
    )
    return Status.REFUSED


class ImportUploadNotReady(Exception):
    """The upload is still queued or being parsed, or was refused: its progress page says which."""


def import_upload_parsed(*, user, token: str) -> tuple[ImportUpload, ParsedRoadmap]:
    """This user's upload and its stored parse, for the preview and the confirmation; 404 unless the
    upload is theirs (or they are a superuser) and unexpired, ImportUploadNotReady unless it is parsed."""
    upload = import_upload_get_for_user(user=user, token=token, with_parsed=True)
    if upload.status != Status.READY or not upload.parsed:
        raise ImportUploadNotReady
    return upload, ParsedRoadmap.from_dict(json.loads(upload.parsed))


def _delete(uploads) -> int:
    """Delete records and, once that is committed, their files."""
    names = list(uploads.values_list("stored_name", flat=True))
    deleted, _ = uploads.delete()
    transaction.on_commit(lambda: _delete_files(names))
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        upload_delete(name)


@transaction.atomic
def import_upload_discard(*, actor, token: str) -> None:
    """Forget an upload at once: confirmed or cancelled. Someone else's token is silently ignored."""
    uploads = ImportUpload.objects.filter(token=token)
    if not actor.is_superuser:
        uploads = uploads.filter(uploaded_by=actor)
    _delete(uploads)


def import_uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads nobody confirmed or cancelled in time, with their files (the beat runs this), and
    files in the uploads folder that no upload owns; returns how many uploads were deleted."""
    now = now or timezone.now()
    removed = 0
    while True:
        with transaction.atomic():
            expired = ImportUpload.objects.filter(expires_at__lte=now).order_by("pk")
            batch = list(expired.values_list("pk", flat=True)[:_SWEEP_BATCH])
            if not batch:
                break
            removed += _delete(ImportUpload.objects.filter(pk__in=batch))
    _delete_files(_orphaned_files(now - datetime.timedelta(hours=settings.IMPORT_UPLOAD_HOURS)))
    return removed


def _orphaned_files(cutoff: datetime.datetime) -> list[str]:
    """Files under imports/ older than ``cutoff`` that no upload owns: kept the way uploads were kept
    before ImportUpload, or stored for a record that was never saved."""
    owned = set(ImportUpload.objects.values_list("stored_name", flat=True))
    found = []
    for folder in _folders(_UPLOADS_FOLDER, depth=2):  # imports/<user>/<token>/
        for name in default_storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if path not in owned and default_storage.get_modified_time(path) < cutoff:
                found.append(path)
    return found


def _folders(top: str, *, depth: int) -> list[str]:
    try:
        children = default_storage.listdir(top)[0]
    except FileNotFoundError:
        return []
    folders = [f"{top}/{child}" for child in children]
    if depth == 1:
        return folders
    return [below for folder in folders for below in _folders(folder, depth=depth - 1)]
