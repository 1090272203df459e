"""Move every explicit year and date of a deadline wording by N years, for next year's copy of a plan.

Pure text: no Django, no parsing into a schedule. «до 15.05.2025» → «до 15.05.2026», «Март - апрель 2025
года» → «… 2026 года», «2025-2027» → «2026-2028». A wording without a year («ежеквартально», «до 17.03.»,
«по запросу») is left as it is: its dates come from the roadmap's period, which moves with the copy. A
29 February that does not exist in the target year becomes 28 February, and the note says so.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

# Years a plan speaks of: four digits not glued to other digits (a number «№ 1234» of an act is not
# a year in a deadline wording; the plans of this portal lie in 1990–2099).
_YEAR = r"(?:199\d|20\d\d)"
_FULL_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})(\s*\.\s*)(\d{{1,2}})(\s*\.\s*)({_YEAR})(?!\d)")
_BARE_YEAR = re.compile(rf"(?<!\d)(?<!№)(?<!№\s)(?<!N\s)({_YEAR})(?!\d)")
# «29.02» with no year of its own («29.02-01.03.2025»): the year is the next one the wording names.
_LEAP_DAY_NO_YEAR = re.compile(r"(?<!\d)29(\s*\.\s*)0?2(?!\s*\.\s*\d)(?!\d)")
_LEAP_DAY_WORDS = re.compile(rf"(?<!\d)29(\s+)февраля(\s+)({_YEAR})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Shifted:
    text: str
    changed: bool
    notes: list[str] = field(default_factory=list)


def _leap_note(year: int) -> str:
    return f"29 февраля в {year} году нет: срок перенесён на 28 февраля"


def shift_years(text: str, years: int) -> Shifted:
    """`text` with every explicit year moved by `years`; `changed` is whether anything moved."""
    if not text or years == 0:
        return Shifted(text, False)
    notes: list[str] = []
    placeholders: list[str] = []

    def hold(value: str) -> str:
        placeholders.append(value)
        return f"\x00{len(placeholders) - 1}\x00"

    def full_date(match: re.Match) -> str:
        day, dot1, month, dot2, year = match.groups()
        target = int(year) + years
        if int(day) == 29 and int(month) == 2 and not calendar.isleap(target):
            notes.append(_leap_note(target))
            day = "28"
        return hold(f"{day}{dot1}{month}{dot2}{target}")

    def leap_words(match: re.Match) -> str:
        space1, space2, year = match.groups()
        target = int(year) + years
        if calendar.isleap(target):
            return hold(f"29{space1}февраля{space2}{target}")
        notes.append(_leap_note(target))
        return hold(f"28{space1}февраля{space2}{target}")

    work = _bare_leap_days(text, years, notes, hold)  # first: it reads the years that follow
    work = _FULL_DATE.sub(full_date, work)
    work = _LEAP_DAY_WORDS.sub(leap_words, work)
    work = _BARE_YEAR.sub(lambda m: hold(str(int(m.group(1)) + years)), work)
    result = re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], work)
    return Shifted(result, result != text, notes)


def _bare_leap_days(work: str, years: int, notes: list[str], hold) -> str:
    """«29.02» without a year of its own, in a wording whose next year becomes a common year."""
    out, position = [], 0
    for match in _LEAP_DAY_NO_YEAR.finditer(work):
        following = _BARE_YEAR.search(work, match.end())
        if following is None:
            continue  # the year comes from the plan's period: nothing to move here
        target = int(following.group(1)) + years
        if calendar.isleap(target):
            continue
        notes.append(_leap_note(target))
        out.append(work[position : match.start()])
        out.append(hold(f"28{match.group(1)}02"))
        position = match.end()
    out.append(work[position:])
    return "".join(out)
