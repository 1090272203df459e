"""The reporting periods staff close most often — a quarter, a month, explicit dates — as days and a label.

Plain Python: the names come from the deadline vocabulary (roadmaps/deadline_words.py).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from roadmaps.deadline_words import MONTHS, ROMAN


@dataclass(frozen=True)
class Span:
    first_day: datetime.date
    last_day: datetime.date
    label: str


def quarter(year: int, number: int) -> Span:
    """«I квартал 2025 г.»: 01.01.2025–31.03.2025."""
    if not 1 <= number <= 4:
        raise ValueError(f"no quarter {number}")
    first_month, last_month = 3 * number - 2, 3 * number
    return Span(
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        f"{ROMAN[number - 1]} квартал {year} г.",
    )


def month(year: int, number: int) -> Span:
    """«март 2025 г.»: 01.03.2025–31.03.2025."""
    if not 1 <= number <= 12:
        raise ValueError(f"no month {number}")
    return Span(
        datetime.date(year, number, 1),
        datetime.date(year, number, calendar.monthrange(year, number)[1]),
        f"{MONTHS[number - 1]} {year} г.",
    )


def dates(first_day: datetime.date, last_day: datetime.date) -> Span:
    """Explicit days, labelled by them: «01.01.2025–15.02.2025»."""
    return Span(first_day, last_day, f"{first_day:%d.%m.%Y}–{last_day:%d.%m.%Y}")


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    """The quarter staff usually close: the last one that has ended, as (year, number)."""
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


# Choices for a form: (number, name).
QUARTER_NAMES = tuple((number, f"{ROMAN[number - 1]} квартал") for number in range(1, 5))
MONTH_NAMES = tuple(enumerate(MONTHS, 1))
