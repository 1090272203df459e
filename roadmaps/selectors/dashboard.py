"""Dashboards (outcomes by section, organisation, roadmap; indicators) and the timeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from roadmaps import outcomes
from roadmaps.models import (
    Activity,
    Checkpoint,
    Indicator,
    IndicatorValue,
    OutcomeSnapshot,
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
    # Read from snapshots (the scope dashboard as of today): when the oldest row read was counted, and
    # how many roadmaps in scope have not been counted yet. None and 0 when counted live.
    computed_at: datetime.datetime | None = None
    uncounted: int = 0


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


UNASSIGNED_LABEL = "Ответственные не назначены"


def _by_organization(checkpoints: QuerySet[Checkpoint], as_of: datetime.date, limit: int = 30):
    """Outcomes per responsible organisation; a checkpoint counts for each organisation responsible for it."""
    org = "activity__responsibilities__organization"
    groups = outcome_groups(checkpoints, as_of, fields=(f"{org}_id", f"{org}__short_name"),
                            label_fields=(f"{org}__short_name",))  # fmt: skip
    rows = sorted(groups.values(), key=lambda g: (-g.overdue, g.label))[:limit]
    for row in rows:
        row.label = row.label or UNASSIGNED_LABEL
    return rows


def scope_dashboard(
    *,
    visible: QuerySet[Roadmap],
    as_of: datetime.date,
    today: datetime.date | None = None,
    limit: int = 30,
) -> Dashboard:
    """The same outcomes across every approved roadmap in scope, grouped by roadmap and by organisation.

    As of today they are read from the roadmaps' snapshots (roadmaps/services/snapshots.py, refreshed
    every five minutes; counting millions of checkpoints per request is not an option): totals with
    the oldest snapshot's time and the roadmaps not counted yet; by roadmap with titles; by organisation
    with names. As of another day they are counted live, the analyst's deliberate question: totals; by
    roadmap; by organisation. Then, either way, indicators; targets; values — six queries.
    """
    # Roadmaps in force: drafts do not count yet, archived ones no longer (their overdue is history).
    roadmaps = visible.approved()
    if as_of == (today or timezone.localdate()):
        dashboard = _scope_from_snapshots(roadmaps, as_of, limit)
    else:
        dashboard = _scope_live(roadmaps, as_of, limit)
    indicators = list(
        Indicator.objects.filter(roadmap_id__in=roadmaps.values("pk"))
        .select_related("roadmap")
        .prefetch_related("targets")
        .order_by("roadmap_id", "position", "pk")[:12]
    )
    dashboard.indicators = _indicator_series(indicators, Q(indicator_id__in=[i.pk for i in indicators]))
    return dashboard


def _scope_live(roadmaps: QuerySet[Roadmap], as_of: datetime.date, limit: int) -> Dashboard:
    checkpoints = Checkpoint.objects.filter(activity__roadmap_id__in=roadmaps.values("pk"))
    by_roadmap = outcome_groups(
        checkpoints, as_of, fields=("activity__roadmap_id", "activity__roadmap__title"),
        label_fields=("activity__roadmap__title",),
    )  # fmt: skip
    return Dashboard(
        as_of=as_of,
        totals=outcome_totals(checkpoints, as_of),
        by_group=sorted(by_roadmap.values(), key=lambda g: (-g.overdue, g.label))[:limit],
        group_title="По дорожным картам",
        by_organization=_by_organization(checkpoints, as_of, limit),
        indicators=[],
    )


def _counts(row: dict[str, Any], label: str, key: tuple, prefix: str = "") -> OutcomeCounts:
    return OutcomeCounts(
        label=label, key=key, **{f: row[prefix + f] or 0 for f in OutcomeSnapshot.COUNT_FIELDS}
    )


def _scope_from_snapshots(roadmaps: QuerySet[Roadmap], as_of: datetime.date, limit: int) -> Dashboard:
    total, fields = OutcomeSnapshot.Kind.ROADMAP, OutcomeSnapshot.COUNT_FIELDS
    # One total row per roadmap at most, so the left join counts each roadmap once.
    summary = roadmaps.annotate(
        snapshot=FilteredRelation("outcome_snapshots", condition=Q(outcome_snapshots__kind=total))
    ).aggregate(
        roadmaps=Count("pk"),
        counted=Count("snapshot__pk"),
        computed_at=Min("snapshot__computed_at"),
        **{f"n_{f}": Sum(f"snapshot__{f}") for f in fields},
    )
    snapshots = OutcomeSnapshot.objects.filter(roadmap__in=roadmaps.values("pk"))
    # Listed, as in the live count, only when it has checkpoints: those always leave organisation rows.
    has_checkpoints = Exists(OutcomeSnapshot.objects.filter(roadmap=OuterRef("roadmap")).exclude(kind=total))
    by_roadmap = (
        snapshots.filter(has_checkpoints, kind=total)
        .order_by("-overdue", "roadmap__title", "roadmap_id")
        .values("roadmap_id", "roadmap__title", *fields)[:limit]
    )
    # Rows without an organisation (activities nobody answers for) add up to one group, named first
    # among equals as the live count's empty label is.
    by_name = F("organization__short_name").asc(nulls_first=True)
    by_organization = (
        snapshots.exclude(kind=total)
        .values("organization_id", "organization__short_name")
        .annotate(**{f"n_{f}": Sum(f) for f in fields})
        .order_by("-n_overdue", by_name, "organization_id")[:limit]
    )
    return Dashboard(
        as_of=as_of,
        totals=_counts(summary, "Всего", (), "n_"),
        by_group=[
            _counts(row, row["roadmap__title"], (row["roadmap_id"], row["roadmap__title"]))
            for row in by_roadmap
        ],
        group_title="По дорожным картам",
        by_organization=[
            _counts(
                row,
                row["organization__short_name"] or UNASSIGNED_LABEL,
                (row["organization_id"], row["organization__short_name"]),
                "n_",
            )
            for row in by_organization
        ],
        indicators=[],
        computed_at=summary["computed_at"],
        uncounted=summary["roadmaps"] - summary["counted"],
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
