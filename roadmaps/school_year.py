"""The school year and its parts — quarters, trimesters, holidays — as deadline wordings mean them.

Plain Python. A school year is named by the calendar year it starts in: 2025 is «2025/2026 учебный год».
Days from September to December fall in that first year, days from January to August in the next one.
"""

from datetime import date
from typing import NamedTuple


class Part(NamedTuple):
    name: str  # «I четверть», «осенние каникулы»
    first: tuple[int, int]  # (month, day)
    last: tuple[int, int]  # (month, day); day 0 is the month's last day


class SchoolCalendar(NamedTuple):
    year: Part
    year_with_summer: Part
    quarters: tuple[Part, ...]
    trimesters: tuple[Part, ...]
    holidays: tuple[Part, ...]


SCHOOL_YEAR = SchoolCalendar(
    year=Part("учебный год", (9, 1), (5, 31)),
    year_with_summer=Part("учебный год", (9, 1), (8, 31)),
    quarters=(
        Part("I четверть", (9, 1), (10, 26)),
        Part("II четверть", (11, 5), (12, 28)),
        Part("III четверть", (1, 9), (3, 21)),
        Part("IV четверть", (4, 1), (5, 31)),
    ),
    trimesters=(
        Part("I триместр", (9, 1), (11, 30)),
        Part("II триместр", (12, 1), (2, 0)),
        Part("III триместр", (3, 1), (5, 31)),
    ),
    holidays=(
        Part("осенние каникулы", (10, 27), (11, 4)),
        Part("зимние каникулы", (12, 29), (1, 8)),
        Part("весенние каникулы", (3, 22), (3, 31)),
        Part("летние каникулы", (6, 1), (8, 31)),
    ),
)
"""The one table of the school year that every deadline wording is read against.

A school year runs from 1 September to 31 May; a wording that says so («по 31 августа», «включая летний
период») runs it to 31 August (`year_with_summer`). Quarters, trimesters and holidays are the usual
boundaries of the federal calendar recommendations, fixed by day and month; a region's own calendar may
move them by a few days each year, which is why a checkpoint's dates stay editable by hand."""


def part_days(part: Part, school_year: int) -> tuple[date, date]:
    """First and last day of a part of the school year that starts in September of `school_year`."""
    (first_month, first_day), (last_month, last_day) = part.first, part.last
    first = date(school_year + (first_month < 9), first_month, first_day)
    last_year = school_year + (last_month < 9)
    if not last_day:
        last_day = (date(last_year + (last_month == 12), last_month % 12 + 1, 1) - date.resolution).day
    return first, date(last_year, last_month, last_day)


def school_year_name(school_year: int) -> str:
    return f"{school_year}/{school_year + 1} уч. год"


def part_label(part: Part, school_year: int) -> str:
    """«I четверть 2025/2026»; holidays within one calendar year by that year: «осенние каникулы 2025»."""
    first, last = part_days(part, school_year)
    if part in SCHOOL_YEAR.holidays and first.year == last.year:
        return f"{part.name} {first.year}"
    return f"{part.name} {school_year}/{school_year + 1}"
