"""Celery tasks of the directory and its people: they take ids, call one service and own their retries —
the Excel onboarding's write and invitations, notification e-mails now and as the daily digest."""

from __future__ import annotations

from smtplib import SMTPException

from celery import Task, shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError

from organizations import notifications, people
from organizations.onboarding import services as onboarding

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


class OnboardingApplyTask(Task):
    """An apply that gives up sends its upload back to the preview, saying so."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        upload_id = args[0] if args else kwargs.get("upload_id")
        if upload_id is not None:
            onboarding.onboarding_apply_refused(upload_id=upload_id, message=onboarding.APPLY_FAILED)


@shared_task(
    base=OnboardingApplyTask,
    name="organizations.tasks.apply_onboarding_upload",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def apply_onboarding_upload(upload_id: int) -> str:
    try:
        return onboarding.onboarding_apply(upload_id=upload_id).summary()
    except PermissionDenied:
        message = "Файл не записан: у вас больше нет прав сотрудника органа управления."
    except ValidationError as exc:
        message = " ".join(exc.messages)
    if message != onboarding.ALREADY_APPLIED:
        onboarding.onboarding_apply_refused(upload_id=upload_id, message=message)
    return message


@shared_task(
    name="organizations.tasks.send_onboarding_invitations",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_onboarding_invitations(membership_ids: list[int]) -> int:
    return people.invitations_send(membership_ids=membership_ids)


@shared_task(
    name="organizations.tasks.send_notification_emails",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def send_notification_emails() -> int:
    return notifications.send_immediate_emails()


@shared_task(
    name="organizations.tasks.send_notification_digests",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def send_notification_digests() -> int:
    return notifications.send_digests()
