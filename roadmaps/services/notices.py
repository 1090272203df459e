"""Who hears of what happens to a checkpoint: the school that reports, the department that verifies,
whoever took part in a thread. Called inside the action's transaction, so the notice and the action
commit together or not at all."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from organizations.models import Membership, Organization
from organizations.notifications import Event, Message, notify, notify_each
from roadmaps import reporting_periods
from roadmaps.deadlines.base import plural
from roadmaps.models import Activity, Checkpoint, CheckpointTransition, Comment, Responsibility, Roadmap

Role = Membership.Role


def _thread_url(checkpoint: Checkpoint) -> str:
    return reverse("roadmaps:checkpoint-thread", args=[checkpoint.pk])


def _what(checkpoint: Checkpoint) -> str:
    activity = checkpoint.activity
    label = f" ({checkpoint.period_label})" if checkpoint.period_label else ""
    return f"{activity.number} {activity.title[:150]}{label}".strip()


def _nearest_staff(organization: Organization) -> list[int]:
    """Staff of the organisation itself, else of the nearest organisation above it that has staff."""
    above = [int(part) for part in organization.path.strip("/").split("/") if part]
    by_organization: dict[int, list[int]] = {}
    for user_id, organization_id in Membership.objects.filter(
        organization_id__in=above, role=Role.STAFF, user__is_active=True
    ).values_list("user_id", "organization_id"):
        by_organization.setdefault(organization_id, []).append(user_id)
    for organization_id in reversed(above):
        if organization_id in by_organization:
            return by_organization[organization_id]
    return []


def _responsible_coordinators(activity: Activity) -> list[int]:
    responsible = activity.responsibilities.values("organization_id")
    return list(
        Membership.objects.filter(organization_id__in=responsible, role=Role.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )


def report_waiting(*, checkpoint: Checkpoint, actor) -> None:
    """A report was sent: the owner's staff (the nearest who have any) are told it waits for them."""
    recipients = set(_nearest_staff(checkpoint.activity.roadmap.owner)) - {actor.pk}
    notify(
        message=Message(
            event=Event.REPORT_WAITING,
            key=f"report:{checkpoint.pk}:{checkpoint.reported_at.isoformat()}",
            title=f"Отчёт ждёт проверки: {_what(checkpoint)}",
            body=checkpoint.result[:1000],
            url=_thread_url(checkpoint),
        ),
        recipient_ids=recipients,
    )


def report_returned(*, checkpoint: Checkpoint, actor) -> None:
    """A report went back: whoever sent it and the responsible organisations' coordinators are told why."""
    recipients = set(_responsible_coordinators(checkpoint.activity))
    if checkpoint.reported_by_id:
        recipients.add(checkpoint.reported_by_id)
    notify(
        message=Message(
            event=Event.REPORT_RETURNED,
            key=f"return:{checkpoint.pk}:{checkpoint.verified_at.isoformat()}",
            title=f"Отчёт возвращён на доработку: {_what(checkpoint)}",
            body=f"Причина: {checkpoint.return_reason}",
            url=_thread_url(checkpoint),
        ),
        recipient_ids=recipients - {actor.pk},
    )


def comment_posted(*, comment: Comment) -> None:
    """A message in a thread: everyone who wrote in it or acted on the checkpoint before hears of it."""
    if comment.checkpoint_id is not None:
        checkpoint = comment.checkpoint
        earlier = Comment.objects.filter(checkpoint=checkpoint)
        took_part = set(
            CheckpointTransition.objects.filter(checkpoint=checkpoint, actor__isnull=False).values_list(
                "actor_id", flat=True
            )
        )
        title = f"Новое сообщение: {_what(checkpoint)}"
        url = _thread_url(checkpoint)
    else:
        earlier = Comment.objects.filter(activity_id=comment.activity_id)
        took_part = set()
        activity = comment.activity
        title = f"Новое сообщение в обсуждении мероприятия {activity.number} {activity.title[:150]}"
        url = reverse("roadmaps:activity-thread", args=[comment.activity_id])
    took_part |= set(earlier.exclude(pk=comment.pk).values_list("author_id", flat=True))
    author = comment.author.get_full_name() or comment.author.username
    notify(
        message=Message(
            event=Event.COMMENT,
            key=f"comment:{comment.pk}",
            title=title,
            body=f"{author}: {comment.text[:1000]}",
            url=url,
        ),
        recipient_ids=took_part - {comment.author_id},
    )


def deadline_changed(*, activity: Activity, changes: list[str], actor) -> None:
    """Checkpoints of an approved roadmap got other dates: the responsible coordinators are told which."""
    if not changes or activity.roadmap.status != Roadmap.Status.APPROVED:
        return  # a draft's dates are nobody's deadlines yet
    notify(
        message=Message(
            event=Event.DEADLINE_CHANGED,
            key=f"deadline:{activity.pk}:{timezone.now().isoformat()}",
            title=f"Изменён срок: {activity.number} {activity.title[:150]}".strip(),
            body="\n".join(changes),
            url=reverse("roadmaps:activity-detail", args=[activity.pk]),
        ),
        recipient_ids=set(_responsible_coordinators(activity)) - {getattr(actor, "pk", None)},
    )


# --- «Отчётный период скоро закроется»: one notice per organisation, fanned out in batches -------------


def closing_quarter(today: datetime.date) -> reporting_periods.Span | None:
    """The current quarter when it ends within PERIOD_CLOSING_NOTICE_DAYS, else None."""
    span = reporting_periods.quarter(today.year, (today.month - 1) // 3 + 1)
    return span if (span.last_day - today).days <= settings.PERIOD_CLOSING_NOTICE_DAYS else None


def _open_in(span: reporting_periods.Span):
    return Checkpoint.objects.open().filter(
        planned_due__range=(span.first_day, span.last_day), activity__roadmap__status=Roadmap.Status.APPROVED
    )


def period_closing_organizations(span: reporting_periods.Span) -> list[int]:
    """Organisations responsible for a checkpoint due in the period that nobody has reported on yet."""
    return list(
        Responsibility.objects.filter(activity__checkpoints__in=_open_in(span))
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )


def period_closing(*, span: reporting_periods.Span, organization_ids: list[int]) -> int:
    """Tell each organisation's coordinators how many of its checkpoints the period still waits for.

    Queries: the counts; the organisations' names; their coordinators; then `notify_each`'s batches.
    """
    counts = dict(
        _open_in(span)
        .filter(activity__responsibilities__organization_id__in=organization_ids)
        .values_list("activity__responsibilities__organization_id")
        .annotate(n=Count("pk", distinct=True))
    )
    names = dict(Organization.objects.filter(pk__in=list(counts)).values_list("pk", "short_name"))
    coordinators: dict[int, list[int]] = {}
    for user_id, organization_id in Membership.objects.filter(
        organization_id__in=list(counts), role=Role.COORDINATOR
    ).values_list("user_id", "organization_id"):
        coordinators.setdefault(organization_id, []).append(user_id)
    url = reverse("roadmaps:my-checkpoints")
    pairs = [
        (
            Message(
                event=Event.PERIOD_CLOSING,
                key=f"period:{span.first_day.isoformat()}:{organization_id}",
                title=f"{span.label} заканчивается {span.last_day:%d.%m.%Y}",
                body=f"{names.get(organization_id, '')}: ещё не отмечено выполнение {count} "
                f"{plural(count, 'контрольной точки', 'контрольных точек', 'контрольных точек')} "
                "со сроком в этом периоде.",
                url=url,
            ),
            coordinators.get(organization_id, []),
        )
        for organization_id, count in counts.items()
    ]
    return notify_each(pairs)
