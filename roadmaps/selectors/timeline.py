"""The roadmap timeline («План-график»): a months or quarters scale over the roadmap's period, sections as
groups, each activity's bar from its first start to its last deadline with its checkpoints marked by
outcome as of today, and a «сегодня» line.

Positions are per cent of the period, so the same rows draw on a screen, on paper and in the PDF.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from roadmaps.deadlines import format_date
from roadmaps.models import Activity, Checkpoint, Responsibility, Roadmap, Section
from roadmaps.outcomes import OUTCOME_COLOURS, OUTCOME_LABELS, OUTCOME_SYMBOLS, OutcomeCounts
from roadmaps.selectors.roadmaps import section_tree

# Months up to two years fit a printed A4 landscape page; a longer period is drawn in quarters.
MONTHS_UP_TO_YEARS = 2

MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTH_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
QUARTER_NAMES = ("I кв.", "II кв.", "III кв.", "IV кв.")
# An activity row names this many responsible organisations and how many more there are.
ORGANIZATIONS_SHOWN = 3
NO_SECTION = "Без раздела"
TODAY_LABEL_FLIPS_AT = 85  # per cent of the period


@dataclass(frozen=True)
class Tick:
    """One column of the scale (a year, a month or a quarter), as per cent of the period."""

    label: str
    name: str
    left: float
    width: float
    year: int


@dataclass(frozen=True)
class OutcomeKey:
    """An outcome as the legend and the marks draw it: the dashboard's words and colours, a symbol."""

    code: str
    label: str
    colour: str
    ink: str
    symbol: str


@dataclass
class Mark:
    """A checkpoint on its activity's bar, placed at its deadline (or start when it has none)."""

    outcome: OutcomeKey
    due: datetime.date | None
    start: datetime.date | None
    period_label: str
    left: float | None  # None: no date, or outside the period

    @property
    def text(self) -> str:
        """«I кв. 2025, срок 31.03.2025: просрочено» — the mark's accessible name and printed entry."""
        when = f"срок {format_date(self.due)}" if self.due else "без срока"
        label = f"{self.period_label}, {when}" if self.period_label else when
        return f"{label}: {self.outcome.label}"


@dataclass
class TimelineActivity:
    activity: Activity
    organizations: list[str] = field(default_factory=list)
    more_organizations: int = 0
    marks: list[Mark] = field(default_factory=list)
    counts: OutcomeCounts = field(default_factory=OutcomeCounts)
    start: datetime.date | None = None
    due: datetime.date | None = None
    left: float = 0.0
    width: float = 0.0
    starts_before: bool = False  # the bar goes on past the period's edges
    ends_after: bool = False

    @property
    def has_bar(self) -> bool:
        return self.start is not None and self.due is not None

    @property
    def span_text(self) -> str:
        if not self.has_bar:
            return ""
        if self.start == self.due:
            return format_date(self.due)
        return f"{format_date(self.start)} — {format_date(self.due)}"


@dataclass
class TimelineGroup:
    section: Section | None
    level: int = 0
    activities: list[TimelineActivity] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.section is None:
            return NO_SECTION
        return f"{self.section.number} {self.section.title}".strip()


@dataclass
class TimelineOptions:
    """What the filters offer: the roadmap's sections (in the document's order, with their levels) and the
    organisations responsible for its activities. Read once and reused by the timeline itself."""

    sections: list[tuple[Section, int, bool]]
    responsibilities: list[tuple[int, int, str]]  # (activity id, organisation id, short name)

    @property
    def organizations(self) -> list[tuple[int, str]]:
        names = {org_id: name for _activity_id, org_id, name in self.responsibilities}
        return sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))

    def subtree(self, section_id: int) -> set[int]:
        """The section and everything nested under it."""
        chosen: set[int] = set()
        inside_level: int | None = None
        for section, level, _has_children in self.sections:
            if inside_level is not None and level <= inside_level:
                break
            if section.pk == section_id:
                inside_level = level
            if inside_level is not None:
                chosen.add(section.pk)
        return chosen


@dataclass
class Timeline:
    roadmap: Roadmap
    today: datetime.date
    first: datetime.date
    last: datetime.date
    unit: str  # "month" or "quarter"
    years: list[Tick]
    ticks: list[Tick]
    today_left: float | None
    groups: list[TimelineGroup]
    outcome_keys: list[OutcomeKey]
    options: TimelineOptions
    section_id: int | None = None
    organization_id: int | None = None

    @property
    def activity_count(self) -> int:
        return sum(len(group.activities) for group in self.groups)

    @property
    def filtered(self) -> bool:
        return self.section_id is not None or self.organization_id is not None

    @property
    def section_title(self) -> str:
        found = (s for s, _level, _children in self.options.sections if s.pk == self.section_id)
        section = next(found, None)
        return f"{section.number} {section.title}".strip() if section else ""

    @property
    def organization_name(self) -> str:
        return dict(self.options.organizations).get(self.organization_id, "")

    @property
    def today_line_end(self) -> float | None:
        """Where the today line's thin band ends: it is drawn behind every row as a background."""
        return None if self.today_left is None else round(self.today_left + 0.2, 3)

    @property
    def today_label_style(self) -> str:
        """The «сегодня» label beside the line, on its left near the end of the period so it stays inside."""
        if self.today_left is None:
            return ""
        if self.today_left > TODAY_LABEL_FLIPS_AT:
            return f"right:{round(100 - self.today_left, 3)}%"
        return f"left:{self.today_left}%"

    @property
    def tick_width(self) -> float:
        """The width of one column of the scale, for the grid lines drawn behind every row."""
        return round(100 / len(self.ticks), 4)


def timeline_options(*, roadmap: Roadmap) -> TimelineOptions:
    """Queries: sections; the activities' responsible organisations — two."""
    sections = section_tree(list(roadmap.sections.order_by("position", "pk")))
    responsibilities = list(
        Responsibility.objects.filter(activity__roadmap=roadmap)
        .order_by("activity_id", "position", "pk")
        .values_list("activity_id", "organization_id", "organization__short_name")
    )
    return TimelineOptions(sections=sections, responsibilities=responsibilities)


def roadmap_timeline(
    *,
    roadmap: Roadmap,
    today: datetime.date,
    section_id: int | None = None,
    organization_id: int | None = None,
    options: TimelineOptions | None = None,
) -> Timeline:
    """The timeline of the roadmap's activities, optionally of one section (with its subsections) and of
    the activities one organisation is responsible for. Checkpoint outcomes are as of `today`, by the
    vocabulary's rules (roadmaps/outcomes.py); cancelled checkpoints are not drawn.

    Queries: sections; responsible organisations (both skipped when `options` are given); activities;
    checkpoints with their outcome — four, for any number of activities.
    """
    options = options or timeline_options(roadmap=roadmap)
    first = datetime.date(roadmap.year_start, 1, 1)
    last = datetime.date(roadmap.year_end, 12, 31)
    scale = _Scale(first, last)
    unit = "month" if roadmap.year_end - roadmap.year_start + 1 <= MONTHS_UP_TO_YEARS else "quarter"

    activities = _activities(roadmap, options, section_id, organization_id)
    rows = {activity.pk: TimelineActivity(activity) for activity in activities}
    for activity_id, _org_id, name in options.responsibilities:
        row = rows.get(activity_id)
        if row is None:
            continue
        if len(row.organizations) < ORGANIZATIONS_SHOWN:
            row.organizations.append(name)
        else:
            row.more_organizations += 1

    keys = outcome_keys()
    by_code = {key.code: key for key in keys}
    checkpoints = (
        Checkpoint.objects.filter(activity__in=activities.order_by().values("pk"))
        .with_outcome_as_of(today)
        .exclude(outcome=None)
        .order_by("activity_id", "planned_due", "sequence", "pk")
        .values_list("activity_id", "planned_start", "planned_due", "period_label", "outcome", "is_due")
    )
    for activity_id, start, due, period_label, outcome, is_due in checkpoints:
        row = rows[activity_id]
        day = due or start
        row.marks.append(Mark(by_code[outcome], due, start, period_label, scale.point(day)))
        row.counts.add(outcome, bool(is_due))
        begin = start or due
        if begin and (row.start is None or begin < row.start):
            row.start = begin
        if due and (row.due is None or due > row.due):
            row.due = due
    for row in rows.values():
        if row.has_bar:
            if row.due < row.start:  # a checkpoint with a start after the last deadline
                row.start, row.due = row.due, row.start
            row.left, row.width = scale.span(row.start, row.due)
            row.starts_before, row.ends_after = row.start < first, row.due > last

    return Timeline(
        roadmap=roadmap,
        today=today,
        first=first,
        last=last,
        unit=unit,
        years=scale.years(),
        ticks=scale.months() if unit == "month" else scale.quarters(),
        today_left=scale.point(today),
        groups=_groups(options, list(rows.values())),
        outcome_keys=keys,
        options=options,
        section_id=section_id,
        organization_id=organization_id,
    )


_ACTIVITY_FIELDS = (
    "pk", "roadmap_id", "section_id", "number", "sort_key", "title", "deadline_text", "schedule_description",
)  # fmt: skip


def _activities(
    roadmap: Roadmap, options: TimelineOptions, section_id: int | None, organization_id: int | None
) -> QuerySet[Activity]:
    activities = roadmap.activities.in_roadmap_order().only(*_ACTIVITY_FIELDS)
    if section_id is not None:
        activities = activities.filter(section_id__in=options.subtree(section_id))
    if organization_id is not None:
        responsible = Responsibility.objects.filter(organization_id=organization_id).values("activity_id")
        activities = activities.filter(pk__in=responsible)
    return activities


def _groups(options: TimelineOptions, rows: list[TimelineActivity]) -> list[TimelineGroup]:
    """Sections in the document's order with their activities; a section with nothing to show is left
    out unless something below it is shown (its heading then stays above its subsections)."""
    by_section: dict[int | None, list[TimelineActivity]] = defaultdict(list)
    for row in rows:
        by_section[row.activity.section_id].append(row)
    parents = {section.pk: section.parent_id for section, _level, _children in options.sections}
    shown: set[int] = set()
    for section_id in by_section:
        while section_id is not None and section_id not in shown:
            shown.add(section_id)
            section_id = parents.get(section_id)
    groups = [TimelineGroup(None, 0, by_section[None])] if by_section.get(None) else []
    groups.extend(
        TimelineGroup(section, level, by_section.get(section.pk, []))
        for section, level, _children in options.sections
        if section.pk in shown
    )
    return groups


def outcome_keys() -> list[OutcomeKey]:
    """The legend: every outcome with the dashboard's word and colour, the symbol drawn on its marks and a
    text colour readable on it."""
    return [
        OutcomeKey(code, label, OUTCOME_COLOURS[code], _ink_on(OUTCOME_COLOURS[code]), OUTCOME_SYMBOLS[code])
        for code, label in OUTCOME_LABELS.items()
    ]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the colour (at least 4.5:1 on the palette's colours)."""
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#ffffff") else "#ffffff"


class _Scale:
    """Dates → per cent of the period [first, last]; None for a day outside it."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        self.first, self.last = first, last
        self.days = (last - first).days + 1

    def _offset(self, day: datetime.date) -> float:
        return round((day - self.first).days / self.days * 100, 3)

    def point(self, day: datetime.date | None) -> float | None:
        if day is None or not self.first <= day <= self.last:
            return None
        # The middle of the day, so that a deadline on the last day is drawn inside the track.
        return round(((day - self.first).days + 0.5) / self.days * 100, 3)

    def span(self, start: datetime.date, end: datetime.date) -> tuple[float, float]:
        begin = min(max(start, self.first), self.last)
        finish = min(max(end, self.first), self.last)
        left = self._offset(begin)
        return left, round(((finish - begin).days + 1) / self.days * 100, 3)

    def _tick(self, label: str, name: str, start: datetime.date, end: datetime.date) -> Tick:
        left = self._offset(start)
        return Tick(label, name, left, round(((end - start).days + 1) / self.days * 100, 3), start.year)

    def years(self) -> list[Tick]:
        return [
            self._tick(str(year), str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            for year in range(self.first.year, self.last.year + 1)
        ]

    def months(self) -> list[Tick]:
        ticks = []
        for year in range(self.first.year, self.last.year + 1):
            for month in range(1, 13):
                start = datetime.date(year, month, 1)
                end = (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)
                ticks.append(self._tick(MONTH_SHORT[month - 1], MONTH_NAMES[month - 1], start, end))
        return ticks

    def quarters(self) -> list[Tick]:
        ticks = []
        for year in range(self.first.year, self.last.year + 1):
            for quarter in range(4):
                start = datetime.date(year, 3 * quarter + 1, 1)
                after = datetime.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)
                end = after - datetime.timedelta(days=1)
                name = f"{QUARTER_NAMES[quarter]} {year}"
                ticks.append(self._tick(QUARTER_NAMES[quarter], name, start, end))
        return ticks
