"""The roadmap's indicators page: targets and reported values by year."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Sum

from roadmaps.models import Indicator, IndicatorValue, Roadmap


@dataclass
class IndicatorCell:
    year: int
    target: Decimal | None = None
    total: Decimal | None = None
    average: Decimal | None = None
    organizations: int = 0


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
    """Each indicator with its target and the sum and average of reported values for every year.

    The years are the roadmap's period plus any year that has a target or a value outside it.
    Queries: indicators with activities; their targets (prefetch); values summed by indicator and year.
    """
    indicators = list(
        Indicator.objects.filter(roadmap=roadmap)
        .select_related("activity")
        .prefetch_related("targets")
        .order_by("position", "pk")
    )
    actual_rows = (
        IndicatorValue.objects.filter(indicator__roadmap=roadmap)
        .values("indicator_id", "year")
        .annotate(
            total=Sum("value"), average=Avg("value"), organizations=Count("organization_id", distinct=True)
        )
        .order_by()
    )
    actual = {(row["indicator_id"], row["year"]): row for row in actual_rows}
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
            reported = actual.get((indicator.pk, year))
            if reported:
                cell.total = reported["total"]
                cell.average = Decimal(reported["average"]).quantize(Decimal("0.01"))
                cell.organizations = reported["organizations"]
                row.reported = True
            row.cells.append(cell)
        rows.append(row)
    return IndicatorTable(years=ordered_years, rows=rows)
