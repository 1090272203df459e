"""Dashboards (outcomes by section, organisation, roadmap; indicators) and the timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Sum

from roadmaps.models import (
    Activity,
    Checkpoint,
    Indicator,
    IndicatorValue,
    Roadmap,
)
from roadmaps.outcomes import OPEN

# --- Dashboard and timeline -------------------------------------------------------------------------


def _outcome_counts(today: datetime.date, prefix: str = "") -> dict[str, Count]:
    p = prefix

    def c(q: Q) -> Count:
        return Count(f"{p}pk", filter=q)

    def f(name: str, value: Any) -> Q:
        return Q(**{f"{p}{name}": value})

    return {
        "on_time": c(
            f("status", "done")
            & (Q(**{f"{p}actual_date__lte": F(f"{p}planned_due")}) | f("planned_due__isnull", True))
        ),
        "late": c(f("status", "done") & Q(**{f"{p}actual_date__gt": F(f"{p}planned_due")})),
        "reported": c(f("status", "reported")),
        "overdue": c(f("status__in", OPEN) & f("planned_due__lt", today)),
        "upcoming": c(
            f("status__in", OPEN) & (f("planned_due__gte", today) | f("planned_due__isnull", True))
        ),
    }


OUTCOMES = (
    ("on_time", "выполнено в срок"),
    ("late", "выполнено с опозданием"),
    ("reported", "на проверке"),
    ("overdue", "просрочено"),
    ("upcoming", "срок не наступил"),
)


@dataclass
class Dashboard:
    totals: dict[str, int]
    by_group: list[dict[str, Any]]
    group_title: str
    by_organization: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


def _indicator_series(indicators: list[Indicator], value_filter: Q) -> list[dict[str, Any]]:
    """Targets against actual values by year. Percentages average across organisations, counts add up."""
    actual_rows = (
        IndicatorValue.objects.filter(value_filter)
        .values("indicator_id", "year")
        .annotate(
            total=Sum("value"), average=Avg("value"), organizations=Count("organization_id", distinct=True)
        )
        .order_by()
    )
    actual: dict[tuple[int, int], dict] = {(r["indicator_id"], r["year"]): r for r in actual_rows}
    series = []
    for indicator in indicators:
        years = sorted(
            {t.year for t in indicator.targets.all()} | {y for (i, y) in actual if i == indicator.pk}
        )
        targets = {t.year: t.value for t in indicator.targets.all()}
        points = []
        for year in years:
            row = actual.get((indicator.pk, year))
            value = None
            if row:
                value = row["average"] if indicator.unit.strip() == "%" else row["total"]
                value = Decimal(value).quantize(Decimal("0.01"))
            points.append(
                {
                    "year": year,
                    "target": targets.get(year),
                    "actual": value,
                    "organizations": row["organizations"] if row else 0,
                }
            )
        series.append({"indicator": indicator, "points": points})
    return series


def roadmap_dashboard(*, roadmap: Roadmap, today: datetime.date) -> Dashboard:
    """Checkpoint outcomes by section and by responsible organisation, indicators against targets.

    Queries: totals; by section; by organisation; indicators; targets; actual values by year — six.
    """
    checkpoints = Checkpoint.objects.filter(activity__roadmap=roadmap).exclude(status="cancelled")
    counts = _outcome_counts(today)
    totals = checkpoints.aggregate(**counts)
    by_section = list(
        checkpoints.values("activity__section_id", "activity__section__number", "activity__section__title")
        .annotate(**counts)
        .order_by(F("activity__section__position").asc(nulls_first=True), "activity__section_id")
    )
    groups = [
        {
            "label": " ".join(
                filter(
                    None, [row["activity__section__number"], row["activity__section__title"] or "Без раздела"]
                )
            ),
            **{key: row[key] for key, _ in OUTCOMES},
        }
        for row in by_section
    ]
    indicators = list(
        Indicator.objects.filter(roadmap=roadmap).prefetch_related("targets").order_by("position", "pk")
    )
    return Dashboard(
        totals=totals,
        by_group=groups,
        group_title="По разделам",
        by_organization=_by_organization(Q(activity__roadmap=roadmap), today),
        indicators=_indicator_series(indicators, Q(indicator__roadmap=roadmap)),
    )


def _by_organization(checkpoint_filter: Q, today: datetime.date, limit: int = 30) -> list[dict[str, Any]]:
    """Outcomes per responsible organisation; a checkpoint counts for each organisation responsible for it."""
    org = "activity__responsibilities__organization"
    rows = (
        Checkpoint.objects.filter(checkpoint_filter)
        .exclude(status="cancelled")
        .values(f"{org}_id", f"{org}__short_name")
        .annotate(**_outcome_counts(today))
        .order_by("-overdue", f"{org}__short_name")[:limit]
    )
    return [
        {
            "label": row[f"{org}__short_name"] or "Ответственные не назначены",
            **{key: row[key] for key, _ in OUTCOMES},
        }
        for row in rows
    ]


def scope_dashboard(*, visible: QuerySet[Roadmap], today: datetime.date, limit: int = 30) -> Dashboard:
    """The same outcomes across every non-draft roadmap in scope, grouped by roadmap.

    Queries: totals; by roadmap; by organisation; indicators; targets; values.
    """
    roadmap_ids = visible.exclude(status="draft").values("pk")
    checkpoint_filter = Q(activity__roadmap_id__in=roadmap_ids)
    checkpoints = Checkpoint.objects.filter(checkpoint_filter).exclude(status="cancelled")
    counts = _outcome_counts(today)
    totals = checkpoints.aggregate(**counts)
    by_roadmap = list(
        checkpoints.values("activity__roadmap_id", "activity__roadmap__title")
        .annotate(**counts)
        .order_by("-overdue", "activity__roadmap__title")[:limit]
    )
    groups = [
        {
            "label": row["activity__roadmap__title"],
            "roadmap_id": row["activity__roadmap_id"],
            **{key: row[key] for key, _ in OUTCOMES},
        }
        for row in by_roadmap
    ]
    indicators = list(
        Indicator.objects.filter(roadmap_id__in=roadmap_ids)
        .select_related("roadmap")
        .prefetch_related("targets")
        .order_by("roadmap_id", "position", "pk")[:12]
    )
    return Dashboard(
        totals=totals,
        by_group=groups,
        group_title="По дорожным картам",
        by_organization=_by_organization(checkpoint_filter, today, limit),
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
            cp_total=Count("checkpoints", filter=~Q(checkpoints__status="cancelled")),
            cp_done=Count("checkpoints", filter=Q(checkpoints__status="done")),
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
