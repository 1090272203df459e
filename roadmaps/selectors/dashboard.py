"""Dashboards (outcomes by section, organisation, roadmap; indicators) and the timeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from roadmaps import outcomes
from roadmaps.models import (
    Activity,
    Checkpoint,
    Indicator,
    IndicatorValue,
    Roadmap,
)
from roadmaps.outcomes import OPEN, OutcomeCounts, combine_actuals
from roadmaps.selectors.outcomes import outcome_groups, outcome_totals

# --- Dashboard and timeline -------------------------------------------------------------------------


@dataclass
class Dashboard:
    as_of: datetime.date
    totals: OutcomeCounts
    by_group: list[OutcomeCounts]
    group_title: str
    by_organization: list[OutcomeCounts]
    indicators: list[dict[str, Any]]


def _indicator_series(indicators: list[Indicator], value_filter: Q) -> list[dict[str, Any]]:
    """Targets against actual values by year (combined across organisations by the vocabulary's rule)."""
    actual: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for indicator_id, year, value in IndicatorValue.objects.filter(value_filter).values_list(
        "indicator_id", "year", "value"
    ):
        actual[(indicator_id, year)].append(value)
    series = []
    for indicator in indicators:
        targets = {t.year: t.value for t in indicator.targets.all()}
        years = sorted(set(targets) | {y for (i, y) in actual if i == indicator.pk})
        points = [
            {
                "year": year,
                "target": targets.get(year),
                "actual": combine_actuals(indicator.unit, actual.get((indicator.pk, year), ())),
                "organizations": len(actual.get((indicator.pk, year), ())),
            }
            for year in years
        ]
        series.append({"indicator": indicator, "points": points})
    return series


def roadmap_dashboard(*, roadmap: Roadmap, as_of: datetime.date) -> Dashboard:
    """Checkpoint outcomes as of a date by section and by responsible organisation, indicators against
    targets.

    Queries: totals; by section; by organisation; indicators; targets; actual values — six.
    """
    checkpoints = Checkpoint.objects.filter(activity__roadmap=roadmap)
    sections = outcome_groups(
        checkpoints,
        as_of,
        fields=("activity__section__position", "activity__section_id", "activity__section__number",
                "activity__section__title"),
        label_fields=("activity__section__number", "activity__section__title"),
    )  # fmt: skip
    groups = []
    for _key, group in sorted(sections.items(), key=lambda item: (item[0][0] is not None, item[0][:2])):
        group.label = group.label or "Без раздела"
        groups.append(group)
    indicators = list(
        Indicator.objects.filter(roadmap=roadmap).prefetch_related("targets").order_by("position", "pk")
    )
    return Dashboard(
        as_of=as_of,
        totals=outcome_totals(checkpoints, as_of),
        by_group=groups,
        group_title="По разделам",
        by_organization=_by_organization(checkpoints, as_of),
        indicators=_indicator_series(indicators, Q(indicator__roadmap=roadmap)),
    )


def _by_organization(checkpoints: QuerySet[Checkpoint], as_of: datetime.date, limit: int = 30):
    """Outcomes per responsible organisation; a checkpoint counts for each organisation responsible for it."""
    org = "activity__responsibilities__organization"
    groups = outcome_groups(checkpoints, as_of, fields=(f"{org}_id", f"{org}__short_name"),
                            label_fields=(f"{org}__short_name",))  # fmt: skip
    rows = sorted(groups.values(), key=lambda g: (-g.overdue, g.label))[:limit]
    for row in rows:
        row.label = row.label or "Ответственные не назначены"
    return rows


def scope_dashboard(*, visible: QuerySet[Roadmap], as_of: datetime.date, limit: int = 30) -> Dashboard:
    """The same outcomes across every non-draft roadmap in scope, grouped by roadmap.

    Queries: totals; by roadmap; by organisation; indicators; targets; values.
    """
    # Roadmaps in force: drafts do not count yet, archived ones no longer (their overdue is history).
    roadmap_ids = visible.approved().values("pk")
    checkpoints = Checkpoint.objects.filter(activity__roadmap_id__in=roadmap_ids)
    by_roadmap = outcome_groups(
        checkpoints, as_of, fields=("activity__roadmap_id", "activity__roadmap__title"),
        label_fields=("activity__roadmap__title",),
    )  # fmt: skip
    groups = sorted(by_roadmap.values(), key=lambda g: (-g.overdue, g.label))[:limit]
    indicators = list(
        Indicator.objects.filter(roadmap_id__in=roadmap_ids)
        .select_related("roadmap")
        .prefetch_related("targets")
        .order_by("roadmap_id", "position", "pk")[:12]
    )
    return Dashboard(
        as_of=as_of,
        totals=outcome_totals(checkpoints, as_of),
        by_group=groups,
        group_title="По дорожным картам",
        by_organization=_by_organization(checkpoints, as_of, limit),
        indicators=_indicator_series(indicators, Q(indicator_id__in=[i.pk for i in indicators])),
    )


@dataclass
class TimelineRow:
    activity: Activity
    start: datetime.date | None
    due: datetime.date | None
    left: float = 0.0
    width: float = 0.0
    done: int = 0
    total: int = 0
    overdue: int = 0


def roadmap_timeline(*, roadmap: Roadmap, today: datetime.date) -> dict[str, Any]:
    """Each activity's span from its checkpoints' earliest start to latest due, across the roadmap's years.

    Queries: one (activities annotated with min/max dates and counts).
    """
    first = datetime.date(roadmap.year_start, 1, 1)
    last = datetime.date(roadmap.year_end, 12, 31)
    span = (last - first).days + 1
    activities = (
        roadmap.activities.in_roadmap_order()
        .only("pk", "number", "title", "deadline_text", "roadmap_id", "sort_key")
        .annotate(
            first_start=Min("checkpoints__planned_start"),
            first_due=Min("checkpoints__planned_due"),
            last_due=Max("checkpoints__planned_due"),
            cp_total=Count("checkpoints", filter=~Q(checkpoints__status=outcomes.CANCELLED)),
            cp_done=Count("checkpoints", filter=Q(checkpoints__status=outcomes.DONE)),
            cp_overdue=Count(
                "checkpoints", filter=Q(checkpoints__status__in=OPEN, checkpoints__planned_due__lt=today)
            ),
        )
    )
    rows = []
    for activity in activities:
        start = activity.first_start or activity.first_due
        due = activity.last_due
        row = TimelineRow(
            activity, start, due, done=activity.cp_done, total=activity.cp_total, overdue=activity.cp_overdue
        )
        if start and due:
            begin = min(max(start, first), last)
            end = min(max(due, first), last)
            row.left = round((begin - first).days / span * 100, 3)
            row.width = max(round(((end - begin).days + 1) / span * 100, 3), 0.6)
        rows.append(row)
    years = [
        {"year": year, "left": round((datetime.date(year, 1, 1) - first).days / span * 100, 3)}
        for year in range(roadmap.year_start, roadmap.year_end + 1)
    ]
    today_left = round((today - first).days / span * 100, 3) if first <= today <= last else None
    return {"rows": rows, "years": years, "today_left": today_left, "year_width": round(100 / len(years), 3)}
