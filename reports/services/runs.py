"""Report runs: request (reusing an identical earlier file), build in a worker, publish, notify."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from organizations.notifications import Event, Message, notify
from reports.builders import BuildRequest, ReportScope, get_builder
from reports.models import ReportFormat, ReportRun, ReportSchedule
from reports.public_links import run_public_expiry, run_public_url
from reports.rules import may_request_reports, reporting_scope
from reports.services.files import publish_atomically, remove_leftovers
from reports.services.fingerprint import data_fingerprint
from roadmaps.models import Roadmap

logger = logging.getLogger(__name__)

# Worth another attempt: the database or the disk hiccuped. Anything else is a bug or bad data.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)
MAX_ATTEMPTS = 5  # redeliveries after a killed worker and the sweeper's retries included

Status = ReportRun.Status

QUEUE_UNAVAILABLE = (
    "Очередь отчётов сейчас недоступна, поэтому отчёт не поставлен в очередь и формироваться не будет. "
    "Попробуйте через несколько минут; если ошибка повторится, сообщите администратору."
)


def friendly_error(exc: BaseException) -> str:
    """What the user sees when a report could not be built."""
    if isinstance(exc, SoftTimeLimitExceeded):
        minutes = max(1, settings.REPORT_TIME_LIMIT // 60)
        reason = f"формирование заняло больше допустимых {minutes} мин. и было остановлено"
    elif isinstance(exc, TRANSIENT_ERRORS):
        reason = "временный сбой базы данных или файлового хранилища"
    else:
        reason = "внутренняя ошибка"
    detail = f"{type(exc).__name__}: {exc}"[:500]
    advice = "Попробуйте ещё раз или сообщите администратору."
    return f"Не удалось сформировать отчёт ({reason}). {advice} [{detail}]"


def report_scope_of(run: ReportRun | ReportSchedule) -> ReportScope:
    return ReportScope(roadmap_id=run.roadmap_id, project_id=run.project_id, region_id=run.region_id)


def _check_access(actor, roadmap_ids: list[int]) -> None:
    if not may_request_reports(actor):
        raise PermissionDenied(
            "Формировать отчёты могут сотрудники органов управления, аналитики и наблюдатели."
        )
    visible = Roadmap.objects.visible_in(reporting_scope(actor)).filter(pk__in=roadmap_ids).count()
    if visible != len(roadmap_ids):
        raise PermissionDenied("Часть дорожных карт отчёта вне вашей области доступа.")


def stale_after() -> datetime.timedelta:
    """A running run silent for this long has lost its worker."""
    return datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)


def has_live_worker(run: ReportRun, now: datetime.datetime) -> bool:
    """A worker is building the run and was heard from within the stale time."""
    return run.status == Status.RUNNING and bool(run.heartbeat_at) and run.heartbeat_at > now - stale_after()


def report_run_enqueue(run_id: int) -> None:
    """Send the run to the broker, keeping the message id: the sweeper asks the broker whether it holds it."""
    from reports.tasks import generate_report_run

    task_id = str(uuid.uuid4())
    ReportRun.objects.filter(pk=run_id).update(task_id=task_id, heartbeat_at=timezone.now())
    try:
        generate_report_run.apply_async(args=[run_id], task_id=task_id)
    except Exception:
        # The task's on_failure has already marked the run failed (eager mode), or the broker is down or
        # silent (BROKER_TIMEOUT bounds the wait): the requester sees a failed run, not an error page.
        logger.exception("report run %s could not be generated or enqueued", run_id)
        waiting = ReportRun.objects.filter(pk=run_id, status=Status.QUEUED)
        waiting.filter(error="").update(error=QUEUE_UNAVAILABLE)
        waiting.update(status=Status.FAILED, finished_at=timezone.now())


def _notify_later(run: ReportRun) -> None:
    # A file reused from an earlier run is there at once, on the requester's screen, and a scheduled run
    # is mailed to its schedule's recipients below: only a built run someone asked for is announced.
    if run.requested_by_id and run.reused_from_id is None and run.schedule_id is None:
        notify(
            message=Message(
                event=Event.REPORT_READY,
                key=f"run:{run.pk}",
                title=f"Отчёт сформирован: {run.download_name or run.title}",
                body=f"По состоянию на {run.as_of:%d.%m.%Y}.",
                url=reverse("reports:run-detail", args=[run.pk]),
            ),
            recipient_ids=[run.requested_by_id],
        )
    if run.schedule_id:
        from reports.tasks import notify_report_run

        transaction.on_commit(lambda: notify_report_run.delay(run.pk))


@transaction.atomic
def report_run_request(
    *,
    actor,
    kind: str,
    fmt: str,
    scope: ReportScope,
    as_of: datetime.date,
    options: dict[str, Any] | None = None,
    schedule: ReportSchedule | None = None,
    enqueue: bool = True,
) -> ReportRun:
    """Ask for a report; returns a queued run, or a finished one when unchanged data allow reuse.

    `actor` None means the shell (the build_report command), which is not scope-checked and builds the
    run itself (`enqueue=False`).
    """
    try:
        builder = get_builder(kind)
    except KeyError as exc:
        raise ValidationError({"kind": "Неизвестный вид отчёта."}) from exc
    if fmt not in builder.formats:
        raise ValidationError({"format": builder.wrong_format_message()})
    if not builder.accepts(scope, fmt):
        raise ValidationError({"scope": "Этот отчёт не строится по выбранной области."})
    roadmap_ids = scope.roadmap_ids()
    if not roadmap_ids:
        raise ValidationError("В выбранной области нет дорожных карт.")
    if actor is not None:
        _check_access(actor, roadmap_ids)
    options = options or {}
    fingerprint = data_fingerprint(
        kind=kind,
        builder_version=builder.version,
        fmt=fmt,
        roadmap_ids=roadmap_ids,
        as_of=as_of,
        options=options,
    )
    run = ReportRun(
        requested_by=actor,
        schedule=schedule,
        kind=kind,
        format=fmt,
        roadmap_id=scope.roadmap_id,
        project_id=scope.project_id,
        region_id=scope.region_id,
        as_of=as_of,
        parameters={**scope.as_dict(), "roadmap_ids": roadmap_ids, "options": options},
        data_fingerprint=fingerprint,
    )
    earlier = ReportRun.objects.reusable(fingerprint).first()
    if earlier is not None and default_storage.exists(earlier.file.name):
        run.status, run.progress, run.reused_from = Status.DONE, 100, earlier
        run.file, run.download_name, run.sha256, run.size = (
            earlier.file.name,
            earlier.download_name,
            earlier.sha256,
            earlier.size,
        )
        run.started_at = run.finished_at = timezone.now()
        run.full_clean()
        run.save()
        _notify_later(run)
        return run
    run.full_clean()
    run.save()
    if enqueue:
        transaction.on_commit(lambda: report_run_enqueue(run.pk))
    return run


def _progress_writer(run_id: int):
    """Stores the progress every 5 % and, as the heartbeat, at least every REPORT_HEARTBEAT_SECONDS."""
    last = {"percent": -10, "at": time.monotonic()}

    def write(percent: int) -> None:
        now = time.monotonic()
        if percent - last["percent"] >= 5 or now - last["at"] >= settings.REPORT_HEARTBEAT_SECONDS:
            last["percent"], last["at"] = max(percent, last["percent"]), now
            ReportRun.objects.filter(pk=run_id).update(progress=percent, heartbeat_at=timezone.now())

    return write


def report_run_file_name(run: ReportRun) -> str:
    return f"reports/{run.created_at:%Y/%m}/{run.pk}-{run.kind}.{run.format}"


def _start(run_id: int) -> ReportRun | None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.is_finished:
            return None  # a redelivered message for a run already finished
        now = timezone.now()
        if has_live_worker(run, now):
            return None  # a second message (redelivered, or the sweeper's) while a live worker builds it
        if run.attempts >= MAX_ATTEMPTS:
            run.status, run.finished_at = Status.FAILED, timezone.now()
            run.error = "Отчёт не удалось сформировать после нескольких попыток. Сообщите администратору."
            run.save(update_fields=["status", "finished_at", "error"])
            return None
        run.status, run.progress, run.attempts = Status.RUNNING, 0, run.attempts + 1
        run.started_at = run.heartbeat_at = now
        run.error = ""
        run.save(update_fields=["status", "progress", "attempts", "started_at", "heartbeat_at", "error"])
    return run


def report_run_execute(*, run_id: int) -> ReportRun:
    """Build the run's file (in a worker or the shell), publish it atomically and mark the run done.

    Transient errors put the run back in the queue and propagate so the task retries; any other error
    fails the run with a message for the user. A redelivered run (its worker was killed) starts over.
    """
    run = _start(run_id)
    if run is None:
        return ReportRun.objects.get(pk=run_id)
    builder = get_builder(run.kind)
    request = BuildRequest(
        scope=report_scope_of(run),
        roadmap_ids=run.roadmap_ids,
        as_of=run.as_of,
        format=run.format,
        parameters=run.parameters.get("options", {}),
        progress=_progress_writer(run.pk),
    )
    name = report_run_file_name(run)
    remove_leftovers(name)
    try:
        checksum, size = publish_atomically(name, lambda path: builder.build(request, path))
    except TRANSIENT_ERRORS as exc:
        ReportRun.objects.filter(pk=run.pk).update(
            status=Status.QUEUED, progress=0, error=friendly_error(exc)
        )
        raise
    except Exception as exc:
        logger.exception("report run %s failed", run.pk)
        report_run_mark_failed(run_id=run.pk, error=friendly_error(exc))
        return ReportRun.objects.get(pk=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(
        status=Status.DONE,
        progress=100,
        file=name,
        download_name=builder.file_name(request)[:255],
        sha256=checksum,
        size=size,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    _notify_later(run)
    return run


def report_run_mark_failed(*, run_id: int, error: str) -> None:
    """Fail a run that is not finished yet (the task gave up, or its worker vanished)."""
    ReportRun.objects.filter(pk=run_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )


def report_run_download_url(run: ReportRun) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:run-download", args=[run.pk])


# Not from mimetypes: it knows .xlsx only where the system's mime.types lists it.
_CONTENT_TYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.ZIP: "application/zip",
}


def _unique_addresses(addresses: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def _portal_addresses(addresses: list[str]) -> set[str]:
    """The lower-cased addresses among `addresses` that belong to an active portal user."""
    return set(
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in={address.lower() for address in addresses})
        .values_list("email_lower", flat=True)
    )


def _notification_messages(run: ReportRun, recipients: list[str]) -> list[EmailMessage]:
    """One message per recipient, so nobody sees another's address.

    Portal users get the login link; everyone else gets the file attached when it is small enough, or a
    signed expiring link, never a link that asks them to log in.
    """
    title = run.kind_title
    subject = f"Отчёт готов: {title} на {run.as_of:%d.%m.%Y}"
    users = _portal_addresses(recipients)
    outsiders = [address for address in recipients if address.lower() not in users]
    messages = []
    if users:
        context = {"run": run, "title": title, "url": report_run_download_url(run)}
        body = render_to_string("reports/email/run_ready.txt", context)
        messages += [
            EmailMessage(subject=subject, body=body, to=[address])
            for address in recipients
            if address.lower() in users
        ]
    if outsiders:
        attached = run.size <= settings.REPORT_ATTACHMENT_MAX_BYTES
        context = {"run": run, "title": title, "attached": attached}
        if attached:
            with default_storage.open(run.file.name, "rb") as handle:
                content = handle.read()
        else:
            context["expires_on"] = expires_on = run_public_expiry()
            context["url"] = run_public_url(run, expires_on=expires_on)
        body = render_to_string("reports/email/run_ready_outsider.txt", context)
        for address in outsiders:
            message = EmailMessage(subject=subject, body=body, to=[address])
            if attached:
                content_type = _CONTENT_TYPES.get(run.format, "application/octet-stream")
                message.attach(run.download_name or Path(run.file.name).name, content, content_type)
            messages.append(message)
    return messages


def report_run_notify(*, run_id: int) -> bool:
    """E-mail a scheduled run's recipients the report, once; returns whether mail was sent.

    Recipients with a portal account get the download link behind the login; others get the file attached
    or, past REPORT_ATTACHMENT_MAX_BYTES, a signed link valid for REPORT_LINK_DAYS days.
    """
    with transaction.atomic():
        run = ReportRun.objects.select_for_update(of=("self",)).select_related("schedule").get(pk=run_id)
        if run.status != Status.DONE or run.notified_at or run.schedule is None:
            return False
        recipients = _unique_addresses(run.schedule.recipient_list)
        if not recipients:
            return False
        get_connection().send_messages(_notification_messages(run, recipients))
        run.notified_at = timezone.now()
        run.save(update_fields=["notified_at"])
    return True
