"""Celery tasks of the people side: notification e-mails, now and as the daily digest."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from organizations import notifications

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


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
