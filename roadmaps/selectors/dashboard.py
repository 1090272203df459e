"""Dashboards: outcomes by section, organisation and roadmap; indicators against targets."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from roadmaps.models import (
    Checkpoint,
    Indicator,
    IndicatorValue,
    OutcomeSnapshot,
    Responsibility,
    Roadmap,
    roadmap_targets,
)
from roadmaps.outcomes import OutcomeCounts, Tally, aggregate
from roadmaps.selectors.outcomes import outcome_groups, outcome_groups_through, outcome_totals

# --- Dashboards -------------------------------------------------------------------------------------


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
    actual: dict[tuple[int, int], list[tuple[Decimal, Decimal | None]]] = defaultdict(list)
    # No ordering: the model's default one joins the roadmap and the organisation for nothing.
    for indicator_id, year, value, weight in (
        IndicatorValue.objects.filter(value_filter)
        .order_by()
        .values_list("indicator_id", "year", "value", "weight")
    ):
        actual[(indicator_id, year)].append((value, weight))
    series = []
    for indicator in indicators:
        targets = {t.year: t.value for t in indicator.targets.all()}
        years = sorted(set(targets) | {y for (i, y) in actual if i == indicator.pk})
        points = [
            {
                "year": year,
                "target": targets.get(year),
                "actual": aggregate(
                    indicator.unit, indicator.aggregation, Tally.of(actual.get((indicator.pk, year), ()))
                ).value,
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
        Indicator.objects.filter(roadmap=roadmap)
        .prefetch_related(roadmap_targets())
        .order_by("position", "pk")
    )
    return Dashboard(
        as_of=as_of,
        totals=outcome_totals(checkpoints, as_of),
        by_group=groups,
        group_title="По разделам",
        by_organization=_by_organization(
            checkpoints, Responsibility.objects.filter(activity__roadmap=roadmap), as_of
        ),
        indicators=_indicator_series(indicators, Q(indicator__roadmap=roadmap)),
    )


UNASSIGNED_LABEL = "Ответственные не назначены"


def _by_organization(
    checkpoints: QuerySet[Checkpoint],
    responsibilities: QuerySet[Responsibility],
    as_of: datetime.date,
    limit: int = 30,
):
    """Outcomes per responsible organisation; a checkpoint counts for each organisation responsible for it."""
    groups = outcome_groups_through(
        checkpoints, as_of, rows=responsibilities, fields=("organization_id", "organization__short_name"),
        label_fields=("organization__short_name",),
    )  # fmt: skip
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

    Queries: the roadmaps in scope. As of today the outcomes are read from the roadmaps' snapshots
    (roadmaps/services/snapshots.py, refreshed every five minutes; counting millions of checkpoints per
    request is not an option): their total rows, with the oldest one's time and the roadmaps not counted
    yet; then by roadmap with titles and by organisation with names, which stay cached until a refresh
    rewrites a total row in scope. As of another day they are counted live, the analyst's deliberate
    question: totals; by roadmap; by organisation. Then, either way, indicators; targets; values — seven
    queries, five with the groups cached.
    """
    # Roadmaps in force: drafts do not count yet, archived ones no longer (their overdue is history).
    # Read once as ids: the visibility rule's estimate is too vague for the planner to join it well.
    roadmap_ids = list(visible.approved().order_by("pk").values_list("pk", flat=True))
    if as_of == (today or timezone.localdate()):
        dashboard = _scope_from_snapshots(roadmap_ids, as_of, limit)
    else:
        dashboard = _scope_live(roadmap_ids, as_of, limit)
    indicators = list(
        Indicator.objects.filter(roadmap_id__in=roadmap_ids)
        .select_related("roadmap")
        .prefetch_related(roadmap_targets())
        .order_by("roadmap_id", "position", "pk")[:12]
    )
    dashboard.indicators = _indicator_series(indicators, Q(indicator_id__in=[i.pk for i in indicators]))
    return dashboard


def _scope_live(roadmap_ids: list[int], as_of: datetime.date, limit: int) -> Dashboard:
    checkpoints = Checkpoint.objects.filter(activity__roadmap_id__in=roadmap_ids)
    by_roadmap = outcome_groups(
        checkpoints, as_of, fields=("activity__roadmap_id", "activity__roadmap__title"),
        label_fields=("activity__roadmap__title",),
    )  # fmt: skip
    return Dashboard(
        as_of=as_of,
        totals=outcome_totals(checkpoints, as_of),
        by_group=sorted(by_roadmap.values(), key=lambda g: (-g.overdue, g.label))[:limit],
        group_title="По дорожным картам",
        by_organization=_by_organization(
            checkpoints, Responsibility.objects.filter(activity__roadmap_id__in=roadmap_ids), as_of, limit
        ),
        indicators=[],
    )


def _counts(row: dict[str, Any], label: str, key: tuple, prefix: str = "") -> OutcomeCounts:
    return OutcomeCounts(
        label=label, key=key, **{f: row[prefix + f] or 0 for f in OutcomeSnapshot.COUNT_FIELDS}
    )


SNAPSHOT_GROUPS_SECONDS = 15 * 60


def _scope_from_snapshots(roadmap_ids: list[int], as_of: datetime.date, limit: int) -> Dashboard:
    fields = OutcomeSnapshot.COUNT_FIELDS
    totals_rows = list(
        OutcomeSnapshot.objects.filter(roadmap_id__in=roadmap_ids, kind=OutcomeSnapshot.Kind.ROADMAP)
        .order_by("roadmap_id")
        .values_list("roadmap_id", "pk", "computed_at", *fields)
    )
    totals = OutcomeCounts(**{f: sum(row[3 + i] for row in totals_rows) for i, f in enumerate(fields)})
    # A refresh replaces a roadmap's rows whole, its total row included: the scope's roadmaps with the id
    # and time of their total rows name the counts exactly (ids alone could come back on SQLite), so the
    # groups summed from those rows are kept under that name.
    counted = [(row[1], row[2].isoformat()) for row in totals_rows]
    identity = hashlib.sha256(repr((roadmap_ids, counted)).encode()).hexdigest()
    key = f"scope-dashboard:{limit}:{identity}"
    groups = cache.get(key)
    if groups is None:
        groups = _snapshot_groups([row[0] for row in totals_rows], limit)
        cache.set(key, groups, SNAPSHOT_GROUPS_SECONDS)
    by_roadmap, by_organization = groups
    return Dashboard(
        as_of=as_of,
        totals=totals,
        by_group=by_roadmap,
        group_title="По дорожным картам",
        by_organization=by_organization,
        indicators=[],
        computed_at=min((row[2] for row in totals_rows), default=None),
        uncounted=len(roadmap_ids) - len(totals_rows),
    )


def _snapshot_groups(roadmap_ids: list[int], limit: int) -> tuple[list[OutcomeCounts], list[OutcomeCounts]]:
    """The scope's roadmaps and organisations with the most overdue checkpoints, summed from snapshots."""
    fields, total = OutcomeSnapshot.COUNT_FIELDS, OutcomeSnapshot.Kind.ROADMAP
    snapshots = OutcomeSnapshot.objects.filter(roadmap_id__in=roadmap_ids)
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
    return (
        [
            _counts(row, row["roadmap__title"], (row["roadmap_id"], row["roadmap__title"]))
            for row in by_roadmap
        ],
        [
            _counts(
                row,
                row["organization__short_name"] or UNASSIGNED_LABEL,
                (row["organization_id"], row["organization__short_name"]),
                "n_",
            )
            for row in by_organization
        ],
    )
