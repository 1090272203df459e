"""Notifications: one per person and event, in the portal inbox and, as each person chose, by e-mail.

Creating is idempotent (a unique key per recipient and event), e-mailing is once per notification: each
message is claimed, sent and marked in its own transaction, so a retried task sends only what is left.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.template.loader import render_to_string
from django.utils import timezone

from organizations.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

Event = Notification.Event
Delivery = Notification.Delivery

# Without a preference: what a person must act on comes at once, the staff's queue once a day.
DEFAULT_DELIVERY = {
    Event.REPORT_RETURNED: Delivery.EMAIL,
    Event.REPORT_WAITING: Delivery.DIGEST,
    Event.COMMENT: Delivery.EMAIL,
    Event.INVITATION_ACCEPTED: Delivery.PORTAL,
    Event.REPORT_READY: Delivery.EMAIL,
    Event.PERIOD_CLOSING: Delivery.EMAIL,
    Event.DEADLINE_CHANGED: Delivery.EMAIL,
}
FAN_OUT_BATCH = 1000
MAIL_BATCH = 200
DIGEST_LIMIT = 50


@dataclass(frozen=True)
class Message:
    """What happened, said the same way to every recipient; `url` is a path inside the portal."""

    event: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def _batches(items: list, size: int) -> Iterable[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def notify(*, message: Message, recipient_ids: Iterable[int]) -> int:
    """One message to several people; see `notify_each`."""
    return notify_each([(message, recipient_ids)])


def notify_each(pairs: Iterable[tuple[Message, Iterable[int]]]) -> int:
    """Create each message's notification for each of its active recipients (once: a repeat creates
    nothing) and, after the commit, ask the mail task to send what is due now. Returns how many
    notifications were asked for (a person counted once per message).

    Queries per FAN_OUT_BATCH notifications: the accounts with their preferences; one insert.
    """
    wanted = [(message, user_id) for message, ids in pairs for user_id in sorted(set(ids))]
    for batch in _batches(wanted, FAN_OUT_BATCH):
        deliveries = _active_with_preferences(batch)
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id,
                    event=message.event,
                    key=message.key[:100],
                    title=message.title[:300],
                    body=message.body,
                    url=message.url,
                    delivery=deliveries[user_id].get(message.event, DEFAULT_DELIVERY[message.event]),
                )
                for message, user_id in batch
                if user_id in deliveries
            ],
            ignore_conflicts=True,
        )
    if wanted:
        transaction.on_commit(_kick_mail_task)
    return len(wanted)


def _active_with_preferences(batch: list[tuple[Message, int]]) -> dict[int, dict[str, str]]:
    """The active accounts among the batch's recipients, each with their chosen deliveries (one query)."""
    found: dict[int, dict[str, str]] = {}
    events = {message.event for message, _user_id in batch}
    rows = (
        User.objects.filter(pk__in={user_id for _message, user_id in batch}, is_active=True)
        .annotate(  # a LEFT JOIN on the batch's events: an account without such a preference stays
            chosen=FilteredRelation(
                "notification_preferences", condition=Q(notification_preferences__event__in=events)
            )
        )
        .values_list("pk", "chosen__event", "chosen__delivery")
    )
    for user_id, event, delivery in rows:
        chosen = found.setdefault(user_id, {})
        if event:
            chosen[event] = delivery
    return found


def _kick_mail_task() -> None:
    from organizations.tasks import send_notification_emails

    try:
        send_notification_emails.delay()
    except Exception:
        # The broker is down: the action that notified stands, and beat's next pass sends the mail.
        logger.exception("notification e-mails could not be queued; the periodic pass will send them")


def preferences_for(user) -> dict[str, str]:
    """Every event with the delivery the person gets (their choice or the default)."""
    chosen = dict(user.notification_preferences.values_list("event", "delivery"))
    return {event: chosen.get(event, DEFAULT_DELIVERY[event]) for event in Event.values}


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    # The account's row is the lock: two saves at once (two tabs) would both find a preference missing,
    # and the second insert would break the unique constraint instead of waiting for the first.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    saved = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    for event, delivery in choices.items():
        preference = saved.get(event) or NotificationPreference(user=user, event=event)
        if preference.pk is None or preference.delivery != delivery:
            preference.delivery = delivery
            preference._history_user = user
            preference.save()


def mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications, or all of them, read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _claimed(delivery: str, **filters):
    """The next pending notification of this delivery, locked so a second sender skips it."""
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(delivery=delivery, emailed_at__isnull=True, **filters)
        .order_by("created_at", "pk")
    )


def send_immediate_emails(*, limit: int = MAIL_BATCH) -> int:
    """Send the e-mails chosen as «сразу»; returns how many were sent. One SMTP connection for the batch."""
    if not Notification.objects.filter(delivery=Delivery.EMAIL, emailed_at__isnull=True).exists():
        return 0
    sent = 0
    with get_connection() as connection:
        while sent < limit:
            with transaction.atomic():
                notification = _claimed(Delivery.EMAIL).first()
                if notification is None:
                    break
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
                if notification.recipient.email:
                    connection.send_messages([_immediate_message(notification)])
                    sent += 1
    return sent


def _immediate_message(notification: Notification) -> EmailMessage:
    context = {"notification": notification, "url": _absolute(notification.url), "site": settings.SITE_URL}
    return EmailMessage(
        subject=notification.title,
        body=render_to_string("organizations/notifications/email.txt", context),
        to=[notification.recipient.email],
    )


def send_digests() -> int:
    """One e-mail per person with the notifications they chose to get as a daily summary."""
    sent = 0
    recipients = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    with get_connection() as connection:
        for recipient_id in list(recipients):
            with transaction.atomic():
                items = list(_claimed(Delivery.DIGEST, recipient_id=recipient_id))
                if not items:
                    continue  # another sender took them meanwhile
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
                recipient = items[0].recipient
                if recipient.email:
                    connection.send_messages([_digest_message(recipient, items)])
                    sent += 1
    return sent


def _digest_message(recipient, items: list[Notification]) -> EmailMessage:
    shown = items[:DIGEST_LIMIT]
    context = {
        "user": recipient,
        "items": [(n, _absolute(n.url)) for n in shown],
        "more": len(items) - len(shown),
        "inbox": _absolute("/notifications/"),
    }
    return EmailMessage(
        subject=f"Портал дорожных карт: новых уведомлений — {len(items)}",
        body=render_to_string("organizations/notifications/digest.txt", context),
        to=[recipient.email],
    )
