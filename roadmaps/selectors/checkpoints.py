"""Checkpoint screens: «Мои мероприятия», the verification queue, the «требует проверки» list."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from organizations.models import Organization
from organizations.scope import Scope
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Evidence,
    Indicator,
    IndicatorValue,
    Responsibility,
    Roadmap,
    roadmap_targets,
)
from roadmaps.outcomes import HANDED_IN, OPEN, PLANNED, RETURNED, is_late
from roadmaps.services.schedules import mismatch_target

# --- «Мои мероприятия» ------------------------------------------------------------------------------


@dataclass
class CheckpointGroup:
    code: str
    title: str
    count: int
    items: list[Checkpoint]


def _month_end(today: datetime.date) -> datetime.date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def my_checkpoint_groups(*, today: datetime.date) -> dict[str, Q]:
    month_end = _month_end(today)
    return {
        "overdue": Q(status__in=OPEN, planned_due__lt=today),
        "month": Q(status__in=OPEN, planned_due__gte=today, planned_due__lte=month_end),
        "later": Q(status__in=OPEN) & (Q(planned_due__gt=month_end) | Q(planned_due__isnull=True)),
        "done": Q(status__in=HANDED_IN),
    }


GROUP_TITLES = {
    "overdue": "Просрочено",
    "month": "Срок в этом месяце",
    "later": "Позже",
    "done": "Выполнено и на проверке",
}


def _group_order(done: Q) -> list:
    """One ordering for all four groups at once, as each group wants it: by due date (nulls last), and
    the done group by report time, newest first. Within a group the other group's keys are all null."""
    return [
        Case(When(done, then=None), default=F("planned_due")).asc(nulls_last=True),
        Case(When(done, then=F("reported_at"))).desc(nulls_last=True),
        Case(When(done, then=-F("pk")), default=F("pk"), output_field=BigIntegerField()).asc(),
    ]


def my_checkpoints(
    *, scope: Scope, today: datetime.date, limit: int = 50, only: str | None = None, offset: int = 0
) -> list[CheckpointGroup]:
    """A coordinator's checkpoints grouped as overdue, due this month, later, done/awaiting verification.

    Queries: the page of each group with the group's size, ranked in one pass over the coordinator's
    checkpoints (the same query however many groups have rows); those rows; evidence of all shown rows;
    responsible organisations in scope of all shown activities. A page past a group's end counts it apart.
    """
    base = Checkpoint.objects.reportable_in(scope)
    groups = my_checkpoint_groups(today=today)
    if only:
        groups = {only: groups[only]}
    group = Case(*(When(q, then=Value(code)) for code, q in groups.items()), output_field=CharField())
    ranked = (
        base.annotate(group=group)
        .filter(group__isnull=False)
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("group")], order_by=_group_order(groups.get("done", Q(pk=None)))
            ),
            in_group=Window(Count("pk"), partition_by=[F("group")]),
        )
        .filter(place__gt=offset, place__lte=offset + limit)
        .order_by("group", "place")
        .values_list("pk", "group", "in_group")
    )
    shown: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, int] = {}
    for pk, code, in_group in ranked:
        shown[code].append(pk)
        counts[code] = in_group
    if only and not counts:
        counts[only] = base.filter(groups[only]).count()
    rows = Checkpoint.objects.filter(pk__in=[pk for pks in shown.values() for pk in pks])
    by_pk = {row.pk: row for row in rows.select_related("activity__roadmap").only(*_ROW_FIELDS)}
    result = [
        CheckpointGroup(code, GROUP_TITLES[code], counts.get(code, 0), [by_pk[pk] for pk in shown[code]])
        for code in groups
    ]
    attach_checkpoint_details(
        checkpoints=[c for group in result for c in group.items], scope=scope, role="coordinator"
    )
    return result


def my_checkpoint_counts(*, scope: Scope, today: datetime.date) -> dict[str, int]:
    """The size of each «Мои мероприятия» group, in one query (the header and the group headings)."""
    counts = Checkpoint.objects.reportable_in(scope).aggregate(
        **{code: Count("pk", filter=q) for code, q in my_checkpoint_groups(today=today).items()}
    )
    return {code: counts[code] or 0 for code in GROUP_TITLES}


# What a row of «Мои мероприятия» shows (templates/roadmaps/partials/checkpoint_row.html); the longest list
# a coordinator opens, so it reads no other column.
_ROW_FIELDS = (
    "activity__roadmap__title",
    "activity__number",
    "activity__title",
    "status",
    "planned_due",
    "actual_date",
    "period_label",
    "result",
    "return_reason",
    "reported_at",
)


def attach_checkpoint_details(*, checkpoints: list[Checkpoint], scope: Scope | None, role: str = "") -> None:
    """Set `.evidence_list` and `.responsible` on each checkpoint with two queries in all."""
    if not checkpoints:
        return
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(checkpoint_id__in=[c.pk for c in checkpoints]).order_by("pk"):
        evidence[item.checkpoint_id].append(item)
    responsibilities = Responsibility.objects.filter(
        activity_id__in={c.activity_id for c in checkpoints}
    ).select_related("organization")
    if scope is not None and role:
        responsibilities = responsibilities.filter(scope.q("organization__path", role))
    responsible: dict[int, list[Organization]] = defaultdict(list)
    for item in responsibilities.order_by("position", "pk"):
        responsible[item.activity_id].append(item.organization)
    for checkpoint in checkpoints:
        checkpoint.evidence_list = evidence[checkpoint.pk]
        checkpoint.responsible = responsible[checkpoint.activity_id]


def checkpoint_row(*, checkpoint: Checkpoint, scope: Scope | None, role: str = "") -> Checkpoint:
    attach_checkpoint_details(checkpoints=[checkpoint], scope=scope, role=role)
    return checkpoint


def my_indicators(*, scope: Scope, limit: int = 100) -> list[Indicator]:
    """Indicators of activities the coordinator's organisations are responsible for, with targets,
    the values already entered by those organisations and the organisations that may enter them.

    Queries: indicators; targets; values; responsibilities in scope.
    """
    mine = Responsibility.objects.filter(scope.q("organization__path", "coordinator")).filter(
        activity__roadmap__status="approved"
    )
    return list(
        Indicator.objects.filter(activity_id__in=mine.values("activity_id"))
        .select_related("roadmap", "activity")
        .only(
            "id",
            "name",
            "unit",
            "aggregation",
            "position",
            "activity__id",
            "activity__number",
            "roadmap__id",
            "roadmap__title",
            "roadmap__year_start",
            "roadmap__year_end",
        )
        .prefetch_related(
            roadmap_targets(),
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(scope.q("organization__path", "coordinator"))
                .select_related("organization")
                .order_by("year", "organization__short_name"),
            ),
            Prefetch(
                "activity__responsibilities",
                queryset=Responsibility.objects.filter(
                    scope.q("organization__path", "coordinator")
                ).select_related("organization"),
                to_attr="my_responsibilities",
            ),
        )
        .order_by("roadmap_id", "position", "pk")[:limit]
    )


# --- Verification and review ------------------------------------------------------------------------


def verification_queue(*, scope: Scope) -> QuerySet[Checkpoint]:
    """Reported checkpoints the staff member may verify, oldest report first (page rows get details)."""
    return verification_list(scope=scope).awaiting_verification()


def verification_list(*, scope: Scope) -> QuerySet[Checkpoint]:
    """Every checkpoint of roadmaps the staff member verifies, in the queue's default order; the queue's
    filters (roadmaps/forms.py VerificationFilter) narrow it, `attach_verification_details` fills a page.
    Queries: a count; the page with activities, roadmaps and who reported."""
    return (
        Checkpoint.objects.verifiable_in(scope)
        .select_related("activity__roadmap", "reported_by")
        .order_by(F("reported_at").asc(nulls_last=True), "pk")
    )


def attach_verification_details(*, checkpoints: list[Checkpoint]) -> None:
    """What a queue card shows beyond its row: evidence and responsible organisations (two queries), the
    reasons of earlier returns, oldest first (one query), and `late` (outcomes.is_late, no query)."""
    if not checkpoints:
        return
    attach_checkpoint_details(checkpoints=checkpoints, scope=None)
    returns: dict[int, list[CheckpointTransition]] = defaultdict(list)
    for item in (
        CheckpointTransition.objects.filter(checkpoint_id__in=[c.pk for c in checkpoints], status=RETURNED)
        .select_related("actor")
        .order_by("at", "pk")
    ):
        returns[item.checkpoint_id].append(item)
    for checkpoint in checkpoints:
        checkpoint.late = is_late(checkpoint.planned_due, checkpoint.actual_date)
        # The card's own current return (a queue filtered to «возвращено») is not an «earlier» one.
        earlier = returns[checkpoint.pk]
        if checkpoint.status == RETURNED and earlier:
            earlier = earlier[:-1]
        checkpoint.earlier_returns = earlier
        for evidence in checkpoint.evidence_list:
            evidence.preview = evidence_preview_kind(evidence)


def evidence_preview_kind(evidence: Evidence) -> str:
    """«pdf», «image» or "": what the page may show inline — only the types decided from the content at
    upload (roadmaps/evidence_files.py), never a name or a link."""
    if not evidence.file:
        return ""
    return PREVIEWABLE.get(evidence.content_type, "")


PREVIEWABLE = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}


def review_activities(*, scope: Scope, roadmap_id: int | None = None) -> QuerySet[Activity]:
    """«Требует проверки»: deadlines with a problem and activities without the checkpoints they need
    (ActivityQuerySet.needing_review), of every roadmap the staff member edits or of one; a page's rows get
    their reasons from `attach_review_reasons`. Queries: a count; the page with roadmaps."""
    activities = Activity.objects.needing_review().filter(roadmap__in=Roadmap.objects.editable_in(scope))
    if roadmap_id is not None:
        activities = activities.filter(roadmap_id=roadmap_id)
    return activities.select_related("roadmap").order_by("roadmap_id", "sort_key", "pk")


def attach_review_reasons(*, activities: list[Activity]) -> None:
    """`reasons` on each row of review_activities: why it is there, in words (no query)."""
    for activity in activities:
        activity.reasons = activity.review_reasons(
            has_checkpoints=activity.has_checkpoints,
            approved=activity.roadmap.status == Roadmap.Status.APPROVED,
        )


def review_checkpoints(*, scope: Scope, limit: int = 200) -> list[Checkpoint]:
    """«Расхождения»: checkpoints someone acted on whose period a changed deadline no longer has, each with
    `move_target`, the planned checkpoint «перенести на новый срок» would take the dates of (or None).

    Queries: the checkpoints with activities and roadmaps; the free planned checkpoints of those activities.
    """
    free = Checkpoint.objects.filter(status=PLANNED, reported_at__isnull=True, schedule_mismatch="")
    rows = list(
        Checkpoint.objects.exclude(schedule_mismatch="")
        .filter(activity__roadmap__in=Roadmap.objects.editable_in(scope))
        .select_related("activity__roadmap")
        .prefetch_related(Prefetch("activity__checkpoints", queryset=free, to_attr="free_checkpoints"))
        .order_by("activity__roadmap_id", "activity__sort_key", "sequence", "pk")[:limit]
    )
    for checkpoint in rows:
        checkpoint.move_target = mismatch_target(checkpoint, checkpoint.activity.free_checkpoints)
    return rows
