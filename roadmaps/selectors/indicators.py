"""The roadmap's indicators page (targets and the organisations' values combined by year) and one
indicator's breakdown by organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from organizations.models import Organization
from organizations.scope import Scope
from roadmaps import outcomes
from roadmaps.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Responsibility,
    Roadmap,
    roadmap_targets,
)
from roadmaps.outcomes import Aggregate, Tally
from roadmaps.selectors.outcomes import tally_annotations, tally_of_row


@dataclass
class IndicatorCell:
    year: int
    target: Decimal | None = None
    actual: Aggregate | None = None

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.actual else None

    @property
    def organizations(self) -> int:
        return self.actual.reported if self.actual else 0

    @property
    def achievement(self) -> float | None:
        return outcomes.achievement(self.target, self.value)

    @property
    def achieved(self) -> bool | None:
        return outcomes.achieved(self.target, self.value)


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[IndicatorCell] = field(default_factory=list)
    reported: bool = False


@dataclass
class IndicatorTable:
    years: list[int]
    rows: list[IndicatorRow]


def indicator_list(*, roadmap: Roadmap) -> IndicatorTable:
    """Each indicator with its roadmap-level target and the organisations' values combined by the
    indicator's method (`outcomes.aggregate`: the rule the reports follow) for every year.

    The years are the roadmap's period plus any year that has a target or a value outside it.
    Queries: indicators with activities; their targets (prefetch); values tallied by indicator and year.
    """
    indicators = list(
        Indicator.objects.filter(roadmap=roadmap)
        .select_related("activity")
        .prefetch_related(roadmap_targets())
        .order_by("position", "pk")
    )
    actual_rows = (
        IndicatorValue.objects.filter(indicator__roadmap=roadmap)
        .values("indicator_id", "year")
        .annotate(**tally_annotations())
        .order_by()
    )
    actual = {(row["indicator_id"], row["year"]): tally_of_row(row) for row in actual_rows}
    years = set(range(roadmap.year_start, roadmap.year_end + 1))
    years |= {year for (_, year) in actual}
    years |= {target.year for indicator in indicators for target in indicator.targets.all()}
    ordered_years = sorted(years)

    rows = []
    for indicator in indicators:
        targets = {target.year: target.value for target in indicator.targets.all()}
        row = IndicatorRow(indicator=indicator)
        for year in ordered_years:
            cell = IndicatorCell(year=year, target=targets.get(year))
            tally = actual.get((indicator.pk, year))
            if tally is not None and tally.count:
                cell.actual = outcomes.aggregate(indicator.unit, indicator.aggregation, tally)
                row.reported = True
            row.cells.append(cell)
        rows.append(row)
    return IndicatorTable(years=ordered_years, rows=rows)


# --- One indicator by organisation ------------------------------------------------------------------


@dataclass
class BreakdownRow:
    organization: Organization
    target: IndicatorTarget | None = None
    value: IndicatorValue | None = None

    @property
    def target_value(self) -> Decimal | None:
        return self.target.value if self.target else None

    @property
    def actual(self) -> Decimal | None:
        return self.value.value if self.value else None

    @property
    def achieved(self) -> bool | None:
        return outcomes.achieved(self.target_value, self.actual)

    @property
    def shortfall(self) -> Decimal | None:
        """How far the actual falls short of the organisation's own target (negative: above it)."""
        if self.target_value is None or self.actual is None:
            return None
        return self.target_value - self.actual


@dataclass
class Breakdown:
    indicator: Indicator
    year: int
    years: list[int]
    roadmap_target: Decimal | None
    rows: list[BreakdownRow]
    actual: Aggregate

    @property
    def achievement(self) -> float | None:
        return outcomes.achievement(self.roadmap_target, self.actual.value)

    @property
    def achieved(self) -> bool | None:
        return outcomes.achieved(self.roadmap_target, self.actual.value)


SORTS = {
    "name": "по названию",
    "shortfall": "по отставанию от цели",
}


def _sort_key(sort: str):
    if sort == "shortfall":
        # The furthest behind first; rows without a target or a value after those with both.
        return lambda row: (row.shortfall is None, -(row.shortfall or 0), row.organization.short_name)
    return lambda row: (row.organization.short_name.lower(), row.organization.pk)


def participants(indicator: Indicator, scope: Scope):
    """Organisations in `scope` taking part in the indicator: responsible for its activity (for an
    indicator of the whole roadmap, for any of the roadmap's activities), or with a value or an own
    target for it. Inactive organisations are listed only while they have a value or a target."""
    if indicator.activity_id is not None:
        responsible = Responsibility.objects.filter(activity_id=indicator.activity_id)
    else:
        responsible = Responsibility.objects.filter(activity__roadmap_id=indicator.roadmap_id)
    has_value = IndicatorValue.objects.filter(indicator=indicator, organization=OuterRef("pk"))
    has_target = IndicatorTarget.objects.filter(indicator=indicator, organization=OuterRef("pk"))
    return Organization.objects.filter(scope.q("path")).filter(
        Q(Exists(responsible.filter(organization=OuterRef("pk"))), is_active=True)
        | Q(Exists(has_value))
        | Q(Exists(has_target))
    )


def indicator_breakdown(
    *, indicator: Indicator, scope: Scope, year: int | None = None, sort: str = "name"
) -> Breakdown:
    """The indicator for one year by organisation of the user's scope: each one's own target (or none),
    its value with who entered it and when, whether it reached the target; and the scope's figure by the
    indicator's method. The year defaults to the current one within the roadmap's period.

    Queries: organisations; targets of the year (roadmap's and theirs); their values — three.
    """
    roadmap = indicator.roadmap
    years = list(range(roadmap.year_start, roadmap.year_end + 1))
    if year not in years:
        current = timezone.localdate().year
        year = min(max(current, roadmap.year_start), roadmap.year_end)
    organizations = list(
        participants(indicator, scope).only("id", "short_name", "full_name", "path", "is_active")
    )
    ids = [o.pk for o in organizations]
    targets = list(
        IndicatorTarget.objects.filter(indicator=indicator, year=year).filter(
            Q(organization__isnull=True) | Q(organization_id__in=ids)
        )
    )
    roadmap_target = next((t.value for t in targets if t.organization_id is None), None)
    own = {t.organization_id: t for t in targets if t.organization_id is not None}
    values = {
        v.organization_id: v
        for v in IndicatorValue.objects.filter(indicator=indicator, year=year, organization_id__in=ids)
        .select_related("reported_by")
        .order_by()
    }
    rows = [BreakdownRow(organization=o, target=own.get(o.pk), value=values.get(o.pk)) for o in organizations]
    rows.sort(key=_sort_key(sort if sort in SORTS else "name"))
    tally = Tally.of((v.value, v.weight) for v in values.values())
    return Breakdown(
        indicator=indicator,
        year=year,
        years=years,
        roadmap_target=roadmap_target,
        rows=rows,
        actual=outcomes.aggregate(indicator.unit, indicator.aggregation, tally),
    )
