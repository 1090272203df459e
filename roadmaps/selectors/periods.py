"""The closed reporting period screens: periods of a roadmap or of a scope, and the checkpoints of one."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from organizations.scope import Scope
from roadmaps.models import Checkpoint, CheckpointReopening, ClosedPeriod, Roadmap
from roadmaps.services.lifecycle import closed_periods_of
from roadmaps.services.periods import period_checkpoints, period_target


def _with_people(periods: QuerySet[ClosedPeriod]) -> QuerySet[ClosedPeriod]:
    return periods.select_related("roadmap__owner", "organization", "closed_by", "reopened_by").annotate(
        reopened_count=Count("reopenings")
    )


def _mark_changeable(periods: list[ClosedPeriod], scope: Scope) -> list[ClosedPeriod]:
    for period in periods:
        period.can_change = scope.covers(period_target(period).path, "staff")
    return periods


def roadmap_periods(*, roadmap: Roadmap, scope: Scope) -> list[ClosedPeriod]:
    """The roadmap's own periods (reopened ones too) and those in force closed for an organisation above it,
    newest first, each with `.reopened_count` and `.can_change`. Queries: one."""
    periods = ClosedPeriod.objects.filter(
        Q(roadmap=roadmap)
        | Q(pk__in=closed_periods_of(roadmap).filter(organization__isnull=False).values("pk"))
    )
    return _mark_changeable(list(_with_people(periods)), scope)


def scope_periods(*, scope: Scope) -> list[ClosedPeriod]:
    """Periods closed for whole organisations within the user's staff scope, newest first. Queries: one."""
    periods = ClosedPeriod.objects.filter(scope.q("organization__path", "staff"), organization__isnull=False)
    return _mark_changeable(list(_with_people(periods)), scope)


def period_checkpoint_list(*, period: ClosedPeriod) -> QuerySet[Checkpoint]:
    """The checkpoints the period covers in roadmap order, each with `.period_reopenings` (its reopening in
    this period, with the actor, or nothing). Queries when a page of it is read: the checkpoints with their
    activities and roadmaps; the reopenings."""
    reopenings = CheckpointReopening.objects.filter(period=period).select_related("actor")
    return (
        period_checkpoints(period)
        .select_related("activity__roadmap")
        .prefetch_related(Prefetch("reopenings", queryset=reopenings, to_attr="period_reopenings"))
        .order_by("activity__roadmap__title", "activity__roadmap_id", "activity__sort_key", "sequence", "pk")
    )
