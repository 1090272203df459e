"""Daily deadline reminders: one digest per responsible organisation, each checkpoint once per stage."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string

from organizations.models import Membership
from reports.models import ReminderLog
from roadmaps.models import Checkpoint

DUE_SOON_DAYS = 7
DIGEST_LIMIT = 100
Stage = ReminderLog.Stage


@dataclass
class DigestItem:
    checkpoint_id: int
    planned_due: datetime.date
    period_label: str
    activity_number: str
    activity_title: str
    roadmap_title: str


@dataclass
class Digest:
    organization_name: str
    due_soon: list[DigestItem] = field(default_factory=list)
    overdue: list[DigestItem] = field(default_factory=list)


def _candidate_rows(today: datetime.date):
    """One query: open checkpoints due within a week or overdue, not yet reminded at their stage,
    one row per (checkpoint, responsible organisation)."""
    logged = ReminderLog.objects.filter(checkpoint=OuterRef("pk"))
    return (
        Checkpoint.objects.open()
        .filter(planned_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .filter(activity__roadmap__status="approved")  # no reminders for drafts and archived roadmaps
        .filter(activity__responsibilities__isnull=False)
        .annotate(
            logged_soon=Exists(logged.filter(stage=Stage.DUE_SOON)),
            logged_overdue=Exists(logged.filter(stage=Stage.OVERDUE)),
        )
        .order_by("planned_due", "pk")
        .values(
            "pk",
            "planned_due",
            "period_label",
            "logged_soon",
            "logged_overdue",
            "activity__number",
            "activity__title",
            "activity__roadmap__title",
            "activity__responsibilities__organization_id",
            "activity__responsibilities__organization__short_name",
        )
    )


def _collect(today: datetime.date) -> tuple[dict[int, Digest], set[tuple[int, str]]]:
    digests: dict[int, Digest] = {}
    to_log: set[tuple[int, str]] = set()
    for row in _candidate_rows(today):
        stage = Stage.OVERDUE if row["planned_due"] < today else Stage.DUE_SOON
        if row["logged_overdue" if stage == Stage.OVERDUE else "logged_soon"]:
            continue
        org_id = row["activity__responsibilities__organization_id"]
        digest = digests.setdefault(
            org_id, Digest(row["activity__responsibilities__organization__short_name"])
        )
        item = DigestItem(
            checkpoint_id=row["pk"],
            planned_due=row["planned_due"],
            period_label=row["period_label"],
            activity_number=row["activity__number"],
            activity_title=row["activity__title"],
            roadmap_title=row["activity__roadmap__title"],
        )
        (digest.overdue if stage == Stage.OVERDUE else digest.due_soon).append(item)
        to_log.add((row["pk"], stage))
    return digests, to_log


def _coordinator_emails(organization_ids: list[int]) -> dict[int, list[str]]:
    """One query: the active coordinators' addresses of each organisation."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = (
        Membership.objects.filter(
            role=Membership.Role.COORDINATOR, organization_id__in=organization_ids, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("organization_id", "user__email")
        .values_list("organization_id", "user__email")
    )
    for org_id, email in rows:
        if email not in emails[org_id]:
            emails[org_id].append(email)
    return emails


def _message(digest: Digest, recipients: list[str], today: datetime.date) -> EmailMessage:
    context = {
        "digest": digest,
        "today": today,
        "days": DUE_SOON_DAYS,
        "limit": DIGEST_LIMIT,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = f"Сроки контрольных точек: {digest.organization_name}"
    if digest.overdue:
        subject += f" — просрочено {len(digest.overdue)}"
    return EmailMessage(
        subject=subject,
        body=render_to_string("reports/email/reminder_digest.txt", context),
        to=recipients,
    )


def deadline_reminders_send(*, today: datetime.date) -> int:
    """Send each responsible organisation's coordinators one digest; returns the number of e-mails.

    The log is written in the same transaction before sending, so a second run the same day finds every
    checkpoint already reminded at its stage and sends nothing.
    """
    digests, to_log = _collect(today)
    if not to_log:
        return 0
    emails = _coordinator_emails(list(digests))
    messages = [
        _message(digest, emails[org_id], today) for org_id, digest in digests.items() if emails.get(org_id)
    ]
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            [ReminderLog(checkpoint_id=pk, stage=stage) for pk, stage in sorted(to_log)],
            ignore_conflicts=True,
        )
        if messages:
            # One SMTP connection for the whole batch; a sending error rolls the log back for a retry.
            get_connection().send_messages(messages)
    return len(messages)
