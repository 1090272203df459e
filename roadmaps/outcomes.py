"""The one vocabulary of checkpoint outcomes: statuses, what counts as done as of a date, labels, colours.

Pure Python with no Django imports. Every selector, report builder, template tag and service takes its
statuses, its as-of rule and its Russian words from here; `roadmaps/querysets.py` translates the same
rules into SQL (`CheckpointQuerySet.with_outcome_as_of`), and a test holds the two to each other.

The reporting cycle: planned → reported (by a coordinator) → done (accepted by staff) or returned (with
a reason) → reported again…; cancelled. As of a date D a checkpoint counts as done only if it was
accepted on or before D with an actual date on or before D; later reports, acceptances, returns and
evidence do not exist for a report as of D. Overdue, on time and late are computed, never stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# --- Statuses (stored on the checkpoint) --------------------------------------------------------------

PLANNED = "planned"
REPORTED = "reported"
DONE = "done"
RETURNED = "returned"
CANCELLED = "cancelled"

STATUS_LABELS = {
    PLANNED: "запланировано",
    REPORTED: "на проверке",
    DONE: "выполнено",
    RETURNED: "возвращено на доработку",
    CANCELLED: "отменено",
}
STATUSES = tuple(STATUS_LABELS)

# Waiting for a coordinator's report: these can become overdue.
OPEN = (PLANNED, RETURNED)
# Someone has acted on these: regenerating a schedule never deletes or moves them.
ACTED_ON = (REPORTED, DONE, RETURNED)
# Shown to the coordinator as finished on their side (accepted or awaiting verification).
HANDED_IN = (REPORTED, DONE)

# --- Outcomes (computed as of a date) -----------------------------------------------------------------

ON_TIME = "on_time"
LATE = "late"
ON_REVIEW = "reported"
OVERDUE = "overdue"
UPCOMING = "upcoming"

OUTCOME_LABELS = {
    ON_TIME: "выполнено в срок",
    LATE: "выполнено с опозданием",
    ON_REVIEW: "на проверке",
    OVERDUE: "просрочено",
    UPCOMING: "срок не наступил",
}
OUTCOMES = tuple(OUTCOME_LABELS.items())
DONE_OUTCOMES = (ON_TIME, LATE)

# The one palette: charts in the browser, the PDF and the spreadsheet use these colours.
OUTCOME_COLOURS = {
    ON_TIME: "#2e7d32",
    LATE: "#8bc34a",
    ON_REVIEW: "#f0a020",
    OVERDUE: "#c62828",
    UPCOMING: "#b8c4d2",
}
# Drawn on a timeline's marks beside the colour, which is never the only signal.
OUTCOME_SYMBOLS = {
    ON_TIME: "В",
    LATE: "О",
    ON_REVIEW: "П",
    OVERDUE: "!",
    UPCOMING: "Н",
}


def is_late(planned_due: datetime.date | None, actual_date: datetime.date | None) -> bool:
    return actual_date is not None and planned_due is not None and actual_date > planned_due


def counts_as_done(status_as_of: str, actual_date: datetime.date | None, as_of: datetime.date) -> bool:
    """Accepted by D (the status as of D is done) with an actual date on or before D.

    An actual date given only as text (an imported «письмо от …») cannot be compared and counts.
    """
    return status_as_of == DONE and (actual_date is None or actual_date <= as_of)


def outcome_of(
    status_as_of: str,
    planned_due: datetime.date | None,
    actual_date: datetime.date | None,
    as_of: datetime.date,
) -> str | None:
    """The outcome of a checkpoint whose status as of `as_of` was `status_as_of`; None when cancelled."""
    if status_as_of == CANCELLED:
        return None
    if counts_as_done(status_as_of, actual_date, as_of):
        return LATE if is_late(planned_due, actual_date) else ON_TIME
    if status_as_of == REPORTED:
        return ON_REVIEW
    if planned_due is not None and planned_due < as_of:
        return OVERDUE
    return UPCOMING


def activity_complete(checkpoints: Iterable[tuple[str | None, bool]]) -> bool:
    """«(выполнено)»: every checkpoint due by the date is done, and at least one is done.

    `checkpoints` are (outcome, due) pairs of the activity's non-cancelled checkpoints.
    """
    done_any = False
    for outcome, due in checkpoints:
        done = outcome in DONE_OUTCOMES
        done_any = done_any or done
        if due and not done:
            return False
    return done_any


@dataclass
class OutcomeCounts:
    """Checkpoints of one group (a roadmap, section, organisation or everything) by outcome."""

    label: str = "Всего"
    key: tuple = ()
    on_time: int = 0
    late: int = 0
    reported: int = 0
    overdue: int = 0
    upcoming: int = 0
    due: int = 0
    due_done: int = 0

    def add(self, outcome: str | None, due: bool, n: int = 1) -> None:
        if outcome is None:
            return
        setattr(self, outcome, getattr(self, outcome) + n)
        if due:
            self.due += n
            if outcome in DONE_OUTCOMES:
                self.due_done += n

    def __getitem__(self, outcome: str) -> int:
        # Templates and charts read a group's counts by outcome code, like a dict's.
        return getattr(self, outcome)

    def get(self, outcome: str, default: int | None = None) -> int | None:
        return getattr(self, outcome, default)

    @property
    def total(self) -> int:
        return sum(getattr(self, code) for code in OUTCOME_LABELS)

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def done_share(self) -> float | None:
        """Done among the checkpoints due by the date, in per cent (the «доля выполненных»)."""
        return percent(self.due_done, self.due)

    def segments(self) -> list[dict]:
        """Segments of a stacked bar: colour, x offset and width in per cent, label and count."""
        if not self.total:
            return []
        segments, x = [], 0.0
        for code, label in OUTCOMES:
            value = getattr(self, code)
            width = round(value * 100 / self.total, 2)
            segments.append(
                {"code": code, "color": OUTCOME_COLOURS[code], "x": x, "width": width, "label": label,
                 "count": value}
            )  # fmt: skip
            x = round(x + width, 2)
        return segments


@dataclass
class ActivityCounts:
    """Activities as of a date: due (some checkpoint due), done («(выполнено)»), overdue (one overdue)."""

    total: int = 0
    due: int = 0
    done: int = 0
    overdue: int = 0

    def add(self, checkpoints: list[tuple[str | None, bool]]) -> None:
        """Count one activity from the (outcome, due) pairs of its non-cancelled checkpoints."""
        due_any = any(due for _outcome, due in checkpoints)
        self.due += due_any
        self.done += due_any and activity_complete(checkpoints)
        self.overdue += any(outcome == OVERDUE for outcome, _due in checkpoints)

    @property
    def done_share(self) -> float | None:
        return percent(self.done, self.due)


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> float | None:
    if not whole or part is None:
        return None
    return round(float(part) * 100 / float(whole), 1)


# --- Indicators ---------------------------------------------------------------------------------------


def is_share(unit: str) -> bool:
    return unit.strip() == "%"


# How the organisations' values of an indicator make one figure for a roadmap, a region, a report.
SUM = "sum"
MEAN = "mean"
WEIGHTED = "weighted"
SEPARATE = "separate"

AGGREGATION_LABELS = {
    SUM: "сумма",
    MEAN: "среднее по организациям",
    WEIGHTED: "взвешенное среднее",
    SEPARATE: "не сводится",
}
AGGREGATIONS = tuple(AGGREGATION_LABELS.items())
# The short words before «по N орг.» in a table cell.
_AGGREGATION_SHORT = {SUM: "сумма", MEAN: "ср.", WEIGHTED: "взвеш. ср."}
TWO_PLACES = Decimal("0.01")


def default_aggregation(unit: str) -> str:
    """Shares are averaged over organisations, everything else (чел., ед., руб.) adds up."""
    return MEAN if is_share(unit) else SUM


def aggregation_for(unit: str, method: str | None) -> str:
    """The method actually applied: the indicator's own, except that a share is never summed (an
    indicator imported or created before the method existed, or a unit changed to «%» later)."""
    if method not in AGGREGATION_LABELS:
        return default_aggregation(unit)
    if method == SUM and is_share(unit):
        return MEAN
    return method


@dataclass(frozen=True)
class Tally:
    """What the aggregate needs from a set of reported values: counts and sums. SQL computes it with
    Count/Sum (`Tally.of` does in Python), so the page and the reports apply one rule to the same figures.

    `weighted_*` cover only the values entered with a weight (the base of the share: pupils, teachers).
    A value nobody reported is simply not there: it is never a zero.
    """

    count: int = 0
    total: Decimal = Decimal(0)
    weighted_count: int = 0
    weighted_total: Decimal = Decimal(0)  # Σ value × weight
    weight_total: Decimal = Decimal(0)  # Σ weight

    @classmethod
    def of(cls, values: Iterable[tuple[Decimal, Decimal | None]]) -> Tally:
        """From (value, weight or None) pairs; a None value (not reported) is skipped."""
        count = weighted_count = 0
        total = weighted_total = weight_total = Decimal(0)
        for value, weight in values:
            if value is None:
                continue
            count += 1
            total += value
            if weight is not None:
                weighted_count += 1
                weighted_total += value * weight
                weight_total += weight
        return cls(count, total, weighted_count, weighted_total, weight_total)


@dataclass(frozen=True)
class Aggregate:
    """An indicator's one figure for a set of organisations, with how it was made."""

    method: str
    value: Decimal | None
    organizations: int  # the values the figure rests on
    reported: int  # the values reported (more than `organizations` when some lack a weight)

    @property
    def method_label(self) -> str:
        return AGGREGATION_LABELS[self.method]

    @property
    def label(self) -> str:
        """«ср. по 3 орг.», «сумма по 5 орг.», «взвеш. ср. по 2 из 3 орг.», «не сводится (3 орг.)»."""
        if not self.reported:
            return ""
        if self.method == SEPARATE:
            return f"не сводится ({self.reported} орг.)"
        of = (
            f"{self.organizations} из {self.reported}"
            if self.organizations != self.reported
            else self.reported
        )
        return f"{_AGGREGATION_SHORT[self.method]} по {of} орг."


def aggregate(unit: str, method: str | None, tally: Tally) -> Aggregate:
    """THE rule: one figure from the organisations' values by the indicator's method.

    Sum for counts; the plain mean of the values; the mean weighted by each value's base (Σ v·w / Σ w,
    over the values that have a weight — with no weight at all there is no figure); «не сводится» gives
    no figure. A share is never summed (`aggregation_for`). Rounded to hundredths, as values are stored.
    """
    method = aggregation_for(unit, method)
    value: Decimal | None = None
    used = tally.count
    if method == SUM and tally.count:
        value = tally.total
    elif method == MEAN and tally.count:
        value = tally.total / tally.count
    elif method == WEIGHTED:
        used = tally.weighted_count
        if tally.weighted_count and tally.weight_total:
            value = Decimal(tally.weighted_total) / Decimal(tally.weight_total)
    elif method == SEPARATE:
        used = 0
    if value is not None:
        value = Decimal(value).quantize(TWO_PLACES)
    return Aggregate(method=method, value=value, organizations=used, reported=tally.count)


def achievement(target: Decimal | None, actual: Decimal | None) -> float | None:
    """The actual against the target in per cent (higher is better); None without either."""
    return percent(actual, target)


def achieved(target: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether the actual reached the target; None when either is missing."""
    if target is None or actual is None:
        return None
    return actual >= target


def combine_actuals(unit: str, values: Iterable[Decimal], method: str | None = None) -> Decimal | None:
    """One actual value from several organisations' (without weights), by `aggregate`'s rule."""
    return aggregate(unit, method, Tally.of((value, None) for value in values)).value


def format_number(value: Decimal) -> str:
    """45 → «45», 47.50 → «47,5»: the way a Russian report writes a figure."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    return text.rstrip(".").replace(".", ",")


def indicator_line(name: str, unit: str, target: Decimal | None, actual: Decimal | None) -> str:
    """«Доля …: план 45 %, факт 47,5 %» (a missing figure is «—»)."""

    def figure(value: Decimal | None) -> str:
        if value is None:
            return "—"
        return f"{format_number(value)} {unit.strip()}".strip()

    return f"{name.strip()}: план {figure(target)}, факт {figure(actual)}"
