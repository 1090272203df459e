"""The monitoring report's figures as of a date, aggregated in SQL (a handful of queries at any size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, Subquery, Sum

from roadmaps.models import Checkpoint, Indicator, IndicatorTarget, IndicatorValue, Responsibility

OVERDUE_LIST_LIMIT = 300
OPEN = ("planned", "returned")


def _checkpoint_counts(as_of: datetime.date) -> dict:
    """Conditional counts over non-cancelled checkpoints, as of the date."""
    done = Q(status="done") & (Q(actual_date__isnull=True) | Q(actual_date__lte=as_of))
    late = Q(actual_date__isnull=False, planned_due__isnull=False, actual_date__gt=F("planned_due"))
    return {
        "total": Count("pk"),
        "due": Count("pk", filter=Q(planned_due__lte=as_of)),
        "done": Count("pk", filter=done),
        "done_on_time": Count("pk", filter=done & ~late),
        "done_late": Count("pk", filter=done & late),
        "reported": Count("pk", filter=Q(status="reported")),
        "overdue": Count("pk", filter=Q(status__in=OPEN, planned_due__lt=as_of)),
    }


def _percent(part: int | Decimal | None, whole: int | Decimal | None) -> float | None:
    if not whole or part is None:
        return None
    return round(float(part) * 100 / float(whole), 1)


@dataclass
class Counts:
    label: str
    total: int = 0
    due: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    reported: int = 0
    overdue: int = 0

    @property
    def done_share(self) -> float | None:
        """Done among those due by the date (what a report «on the share done as of» means)."""
        return _percent(self.done, self.due)

    @property
    def pending(self) -> int:
        return max(0, self.total - self.done - self.reported - self.overdue)

    def bar(self) -> list[dict]:
        """Segments of the stacked SVG bar: colour, x offset and width in %, label and count."""
        if not self.total:
            return []
        parts = [
            ("#2e7d32", self.done_on_time, "выполнено в срок"),
            ("#8bc34a", self.done_late, "выполнено с опозданием"),
            ("#f9a825", self.reported, "на проверке"),
            ("#c62828", self.overdue, "просрочено"),
            ("#b0bec5", self.pending, "срок не наступил"),
        ]
        segments, x = [], 0.0
        for color, value, label in parts:
            width = round(value * 100 / self.total, 2)
            segments.append({"color": color, "x": x, "width": width, "label": label, "count": value})
            x = round(x + width, 2)
        return segments


@dataclass
class IndicatorRow:
    name: str
    unit: str
    year: int
    target: Decimal | None
    actual: Decimal | None

    @property
    def achievement(self) -> float | None:
        return _percent(self.actual, self.target)


@dataclass
class MonitoringData:
    as_of: datetime.date
    roadmap_titles: list[str]
    activities: dict[str, int]
    checkpoints: Counts
    sections: list[Counts] = field(default_factory=list)
    organizations: list[Counts] = field(default_factory=list)
    overdue: list[Checkpoint] = field(default_factory=list)
    overdue_more: int = 0
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def activities_done_share(self) -> float | None:
        return _percent(self.activities["done"], self.activities["due"])


def _activity_counts(roadmap_ids: list[int], as_of: datetime.date) -> dict[str, int]:
    """Activities due, done (every due checkpoint done) and overdue: per-activity counts, aggregated again."""
    done = Q(status="done") & (Q(actual_date__isnull=True) | Q(actual_date__lte=as_of))
    due = Q(planned_due__lte=as_of)
    per_activity = (
        Checkpoint.objects.filter(activity__roadmap_id__in=roadmap_ids)
        .exclude(status="cancelled")
        .order_by()
        .values("activity_id")
        .annotate(
            n_due=Count("pk", filter=due),
            n_open_due=Count("pk", filter=due & ~done),
            n_overdue=Count("pk", filter=Q(status__in=OPEN, planned_due__lt=as_of)),
        )
    )
    return per_activity.aggregate(
        due=Count("activity_id", filter=Q(n_due__gt=0)),
        done=Count("activity_id", filter=Q(n_due__gt=0, n_open_due=0)),
        overdue=Count("activity_id", filter=Q(n_overdue__gt=0)),
    )


def _indicator_rows(roadmap_ids: list[int], year: int) -> list[IndicatorRow]:
    values = IndicatorValue.objects.filter(indicator=OuterRef("pk"), year=year).order_by().values("indicator")
    rows = (
        Indicator.objects.filter(roadmap_id__in=roadmap_ids)
        .annotate(
            target=Subquery(
                IndicatorTarget.objects.filter(indicator=OuterRef("pk"), year=year).values("value")[:1]
            ),
            actual_sum=Subquery(values.annotate(v=Sum("value")).values("v")[:1]),
            actual_avg=Subquery(values.annotate(v=Avg("value")).values("v")[:1]),
        )
        .order_by("roadmap_id", "position", "pk")
        .values("name", "unit", "target", "actual_sum", "actual_avg")
    )
    result = []
    for row in rows:
        # Shares reported by several organisations are averaged; counts (чел., ед.) add up.
        actual = row["actual_avg"] if row["unit"].strip() == "%" else row["actual_sum"]
        actual = Decimal(str(actual)).quantize(Decimal("0.01")) if actual is not None else None
        result.append(IndicatorRow(row["name"], row["unit"], year, row["target"], actual))
    return result


def monitoring_data(roadmap_ids: list[int], as_of: datetime.date, *, overdue_limit: int = OVERDUE_LIST_LIMIT):
    """Shares done (on time, late), overdue with their organisations, by section and organisation,
    and indicators against their targets for the year of `as_of`."""
    from roadmaps.models import Roadmap

    counts = _checkpoint_counts(as_of)
    base = Checkpoint.objects.filter(activity__roadmap_id__in=roadmap_ids).exclude(status="cancelled")
    roadmaps = list(
        Roadmap.objects.filter(pk__in=roadmap_ids)
        .annotate(activity_count=Count("activities"))
        .order_by("pk")
        .values_list("title", "activity_count")
    )
    overall = Counts("Всего", **base.aggregate(**counts))

    sections = []
    by_section = (
        base.order_by()
        .values("activity__section_id", "activity__section__number", "activity__section__title")
        .annotate(**counts)
        .order_by(
            F("activity__section__position").asc(nulls_last=True),
            F("activity__section_id").asc(nulls_last=True),
        )
    )
    for row in by_section:
        number, title = row.pop("activity__section__number"), row.pop("activity__section__title")
        label = f"{number or ''} {title or ''}".strip()
        row.pop("activity__section_id")
        sections.append(Counts(label or "Без раздела", **row))

    organizations = []
    by_organization = (
        base.filter(activity__responsibilities__isnull=False)
        .order_by()
        .values(
            "activity__responsibilities__organization_id",
            "activity__responsibilities__organization__short_name",
        )
        .annotate(**counts)
        .order_by("-overdue", "activity__responsibilities__organization__short_name")
    )
    for row in by_organization:
        row.pop("activity__responsibilities__organization_id")
        organizations.append(Counts(row.pop("activity__responsibilities__organization__short_name"), **row))

    overdue_qs = base.filter(status__in=OPEN, planned_due__lt=as_of).order_by("planned_due", "pk")
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
        activities={
            "total": sum(count for _title, count in roadmaps),
            **_activity_counts(roadmap_ids, as_of),
        },
        checkpoints=overall,
        sections=sections,
        organizations=organizations,
        overdue=overdue,
        overdue_more=max(0, overall.overdue - len(overdue)),
        indicators=_indicator_rows(roadmap_ids, as_of.year),
    )
