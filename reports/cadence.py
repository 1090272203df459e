"""When a report schedule is due: plain date arithmetic, no database."""

from __future__ import annotations

import calendar
import datetime
import re

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")


def parse_day_month(text: str) -> tuple[int, int]:
    """«18.06» → (18, 6); ValueError in Russian for anything that is not a real day of a year."""
    match = _DAY_MONTH.match(text)
    if not match:
        raise ValueError(f"«{text}»: укажите дату как ДД.ММ, например 18.06.")
    day, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise ValueError(f"«{text}»: такой даты нет.")
    return day, month


def _day_in_month(day: int, today: datetime.date) -> int:
    # «31» means the last day in shorter months, so a monthly report is never skipped.
    return min(day, calendar.monthrange(today.year, today.month)[1])


def is_due(*, cadence: str, day: int, quarter_month: int, dates: list[str], today: datetime.date) -> bool:
    """Whether a schedule with this cadence produces a run on `today`."""
    if cadence == "monthly":
        return today.day == _day_in_month(day, today)
    if cadence == "quarterly":
        in_quarter = (today.month - 1) % 3 + 1
        return in_quarter == quarter_month and today.day == _day_in_month(day, today)
    if cadence == "dates":
        wanted = set()
        for text in dates:
            d, m = parse_day_month(text)
            if (d, m) == (29, 2) and not calendar.isleap(today.year):
                d = 28
            wanted.add((d, m))
        return (today.day, today.month) in wanted
    raise ValueError(f"unknown cadence {cadence!r}")
