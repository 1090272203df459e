"""The monitoring report's figures as of a date, aggregated in SQL (a handful of queries at any size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery

from roadmaps import outcomes
from roadmaps.models import Checkpoint, Indicator, IndicatorTarget, Responsibility, Roadmap
from roadmaps.numbering import number_sort_key
from roadmaps.outcomes import ActivityCounts, OutcomeCounts, percent
from roadmaps.selectors.outcomes import (
    activity_counts,
    indicator_actuals_as_of,
    outcome_groups,
    outcome_groups_through,
)

OVERDUE_LIST_LIMIT = 300


@dataclass
class IndicatorRow:
    name: str
    unit: str
    year: int
    target: Decimal | None
    actual: Decimal | None

    @property
    def achievement(self) -> float | None:
        return percent(self.actual, self.target)


@dataclass
class MonitoringData:
    as_of: datetime.date
    roadmap_titles: list[str]
    activities: ActivityCounts
    checkpoints: OutcomeCounts
    sections: list[OutcomeCounts] = field(default_factory=list)
    organizations: list[OutcomeCounts] = field(default_factory=list)
    overdue: list[Checkpoint] = field(default_factory=list)
    overdue_more: int = 0
    indicators: list[IndicatorRow] = field(default_factory=list)


def _indicator_rows(roadmap_ids: list[int], as_of: datetime.date) -> list[IndicatorRow]:
    year = as_of.year
    indicators = list(
        Indicator.objects.filter(roadmap_id__in=roadmap_ids)
        .annotate(
            target=Subquery(
                IndicatorTarget.objects.filter(
                    indicator=OuterRef("pk"), year=year, organization__isnull=True
                ).values("value")[:1]
            )
        )
        .order_by("roadmap_id", "position", "pk")
        .values_list("pk", "name", "unit", "target", "aggregation")
    )
    actuals = indicator_actuals_as_of({pk: (unit, how) for pk, _n, unit, _t, how in indicators}, year, as_of)
    return [IndicatorRow(name, unit, year, target, actuals[pk]) for pk, name, unit, target, _h in indicators]


def _section_order(item: tuple[tuple, OutcomeCounts]):
    (number, title), _group = item
    return (number is None and title is None, number_sort_key(number or ""), title or "")


def _section_row(group: OutcomeCounts) -> OutcomeCounts:
    group.label = group.label or "Без раздела"
    return group


def monitoring_data(roadmap_ids: list[int], as_of: datetime.date, *, overdue_limit: int = OVERDUE_LIST_LIMIT):
    """Shares done (on time, late), overdue with their organisations, by section and organisation,
    and indicators against their targets for the year of `as_of` — all as of the end of `as_of`.

    Sections of several roadmaps that share a number and title are one row.
    """
    base = Checkpoint.objects.filter(activity__roadmap_id__in=roadmap_ids)
    roadmaps = list(
        Roadmap.objects.filter(pk__in=roadmap_ids)
        .annotate(activity_count=Count("activities"))
        .order_by("pk")
        .values_list("title", "activity_count")
    )
    sections = outcome_groups(base, as_of, fields=("activity__section__number", "activity__section__title"))
    organizations = outcome_groups_through(
        base,
        as_of,
        rows=Responsibility.objects.filter(activity__roadmap_id__in=roadmap_ids),
        fields=("organization_id", "organization__short_name"),
        label_fields=("organization__short_name",),
    )
    organizations.pop((None, None), None)  # activities nobody answers for
    activities, overall = activity_counts(base, as_of, total=sum(count for _title, count in roadmaps))
    overdue_qs = base.with_outcome_as_of(as_of).filter(outcome=outcomes.OVERDUE).order_by("planned_due", "pk")
    overdue = list(
        overdue_qs.select_related("activity").prefetch_related(
            Prefetch(
                "activity__responsibilities",
                queryset=Responsibility.objects.select_related("organization").order_by("position", "pk"),
            )
        )[:overdue_limit]
    )
    return MonitoringData(
        as_of=as_of,
        roadmap_titles=[title for title, _count in roadmaps],
        activities=activities,
        checkpoints=overall,
        sections=[_section_row(group) for _key, group in sorted(sections.items(), key=_section_order)],
        organizations=sorted(organizations.values(), key=lambda g: (-g.overdue, g.label)),
        overdue=overdue,
        overdue_more=max(0, overall.overdue - len(overdue)),
        indicators=_indicator_rows(roadmap_ids, as_of),
    )
