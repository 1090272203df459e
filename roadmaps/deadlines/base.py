"""What a parsed deadline is made of: kinds, occurrences, the schedule, and the checks on one wording."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from roadmaps.deadline_words import MONTHS_IN

KIND_DATE = "date"
KIND_RANGE = "range"
KIND_DATES = "dates"
KIND_RECURRING = "recurring"
KIND_CONTINUOUS = "continuous"
KIND_BY_PLAN = "by_plan"
KIND_BY_EVENT = "by_event"
KIND_UNPARSED = "unparsed"
KINDS = (KIND_DATE, KIND_RANGE, KIND_DATES, KIND_RECURRING, KIND_CONTINUOUS, KIND_BY_PLAN, KIND_BY_EVENT,
         KIND_UNPARSED)  # fmt: skip
KIND_LABELS = {
    KIND_DATE: "дата",
    KIND_RANGE: "период",
    KIND_DATES: "несколько дат",
    KIND_RECURRING: "повторяющийся",
    KIND_CONTINUOUS: "постоянно",
    KIND_BY_PLAN: "по графику",
    KIND_BY_EVENT: "по событию",
    KIND_UNPARSED: "не разобран",
}
# Kinds that need a person even when nothing is wrong with the wording: no date can come from it.
KINDS_NEEDING_REVIEW = (KIND_UNPARSED, KIND_BY_EVENT)
UNDEFINED_DUE_LABEL = "срок не определён"
BY_EVENT_NOTE = (
    "Срок наступает по событию, даты в формулировке нет: сотрудник назначает дату вручную "
    "или отмечает мероприятие как не планируемое по сроку."
)
REVIEW_NOTES = {KIND_BY_EVENT: "по событию: назначьте дату вручную или отметьте, что срок не планируется"}

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_IN_LEAP_YEAR_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Occurrence(NamedTuple):
    start: date | None
    due: date | None
    label: str

    @property
    def sort_key(self) -> tuple[date, date, str]:
        return (self.due or self.start or date.max, self.start or date.min, self.label)


SORT_KEY = attrgetter("sort_key")


@dataclass(frozen=True, slots=True)
class Schedule:
    text: str
    kind: str
    occurrences: tuple[Occurrence, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    cadence: str = ""  # «ежегодно в ноябре», «постоянно», «по графику»; empty for explicit dates

    @property
    def needs_review(self) -> bool:
        return bool(self.problems) or self.kind in KINDS_NEEDING_REVIEW

    def describe(self) -> str:
        if self.kind == KIND_UNPARSED:
            return "срок не разобран"
        if self.kind == KIND_BY_EVENT:
            return f"{self.cadence} — по событию, дата не назначена"
        if self.kind == KIND_BY_PLAN:
            start = self.occurrences[0].start if self.occurrences else None
            return f"{self.cadence}{f' с {format_date(start)}' if start else ''} — {UNDEFINED_DUE_LABEL}"
        if not self.occurrences:
            return "срок требует проверки"
        if self.kind in (KIND_RECURRING, KIND_CONTINUOUS):
            first, last = self.occurrences[0], self.occurrences[-1]
            years = sorted({(first.start or first.due or date.min).year, (last.due or date.max).year})
            return f"{self.cadence}, {'–'.join(map(str, years))}"
        labels = [occurrence.label for occurrence in self.occurrences]
        if (count := len(labels)) > 4:
            return f"{labels[0]} … {labels[-1]}, {count} {plural(count, 'срок', 'срока', 'сроков')}"
        start, due, label = self.occurrences[0]
        if len(labels) == 1 and start and due and label == f"{format_date(start)}–{format_date(due)}":
            return f"с {format_date(start)} по {format_date(due)}"
        return ", ".join(labels)


def format_date(day: date) -> str:
    return f"{day.day:02}.{day.month:02}.{day.year}"


class NotRecognised(Exception):
    """The wording fits none of the known forms."""


@dataclass(slots=True)
class Parsed:
    kind: str
    occurrences: Sequence[Occurrence]
    cadence: str = ""
    needs_sorting: bool = True
    notes: tuple[str, ...] = ()


class Context:
    """The roadmap's period and the problems found so far in one wording."""

    __slots__ = ("first_day", "first_year", "last_day", "last_year", "problems")

    def __init__(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.first_day, self.last_day = date(first_year, 1, 1), date(last_year, 12, 31)
        self.problems: list[str] = []

    def flag(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def year(self, stated: int | None) -> int:
        if stated is not None:
            return stated
        if self.first_year != self.last_year:
            self.flag(f"Год не указан: принят {self.first_year}, проверьте.")
        return self.first_year

    def flag_missing_day(self, day: int, month: int, year: int) -> None:
        written = f"{day:02}.{month:02}.{year}"
        self.flag(f"Даты {written} не существует: {_why_not_a_date(month, year)}. Исправьте дату.")

    def flag_after_period(self, start: date) -> None:
        self.flag(
            f"Начало {format_date(start)} позже окончания дорожной карты ({self.last_year}): проверьте год."
        )

    def holds(self, occurrence: Occurrence) -> bool:
        start, due = occurrence.start, occurrence.due
        return (start is None or self.first_day <= start <= self.last_day) and (
            due is None or self.first_day <= due <= self.last_day
        )


def _why_not_a_date(month: int, year: int) -> str:
    if not 1 <= month <= 12:
        return f"месяца {month} нет"
    days = days_in(year, month)
    month_in = MONTHS_IN[month - 1] + (f" {year} года" if month == 2 else "")
    return f"в {month_in} {days} {plural(days, 'день', 'дня', 'дней')}"


def no_such_date(day: int, month: int, year: int) -> str | None:
    """Why a day, month and year make no date, in words («в ноябре 30 дней», «месяца 13 нет»); None when
    they make one. The deadline parser and every date field of the portal say it the same way."""
    if 1 <= month <= 12 and 1 <= day <= days_in(year, month) and year >= 1:
        return None
    return _why_not_a_date(month, year)


def month_lengths(year: int) -> tuple[int, ...]:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS_IN_LEAP_YEAR_MONTH if leap else _DAYS_IN_MONTH


def days_in(year: int, month: int) -> int:
    return month_lengths(year)[month - 1]


def join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} и {words[-1]}"


def plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    return few if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else many
