"""Celery tasks of the directory: they take ids, call one service and own their retries."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from organizations import people


@shared_task(
    name="organizations.tasks.send_onboarding_invitations",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_onboarding_invitations(membership_ids: list[int]) -> int:
    return people.invitations_send(membership_ids=membership_ids)
