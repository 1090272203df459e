"""Turn the free-text deadline of a roadmap activity («Сроки») into dated occurrences.

Nothing is guessed: a date that does not exist, an end before its start or a date outside the roadmap's
period keeps the recognised kind, gets no occurrence and is explained in `problems`. Conventions: a year
range («2019-2024») is one "range" occurrence; «постоянно» / «в течение года» give one occurrence per
calendar year; «до» / «не позднее» give a due date only; a date without a year takes the period's first
year (flagged when the period spans several years), unless a later item of the same list states one
(«апрель, ноябрь 2025 г.»); «по графику» gives one occurrence without a due date.

Wordings that name a rule rather than a date (roadmaps.deadlines.phrases): «до 20 числа каждого месяца»
is due on that day of each month; «до 5 числа месяца, следующего за отчётным (кварталом)» and «в течение
10 дней после окончания квартала» give one occurrence per reporting unit, from its first day to the day
the rule names (a unit whose day falls after the roadmap's end is left out with a note); «N раз в год»
without months splits the year into N equal parts (2, 3, 4, 6, 12), with months it is a yearly series in
them; «еженедельно» and «ежедневно» give one occurrence per month and per quarter, never per week or
day. School years, quarters, trimesters and holidays come from the one table in roadmaps.school_year.
A deadline tied to an event («по мере поступления», «по запросу …», «после утверждения …») is kind
"by_event": no occurrence at all, and a note asking a person to set the date or mark it unscheduled.

Layout: `base` (kinds, occurrences, the schedule), `grammar` (the token grammar), `phrases` (rule
wordings and school years), `parser` (`parse_deadline`).
"""

from roadmaps.deadlines.base import (
    BY_EVENT_NOTE,
    KIND_BY_EVENT,
    KIND_BY_PLAN,
    KIND_CONTINUOUS,
    KIND_DATE,
    KIND_DATES,
    KIND_LABELS,
    KIND_RANGE,
    KIND_RECURRING,
    KIND_UNPARSED,
    KINDS,
    KINDS_NEEDING_REVIEW,
    REVIEW_NOTES,
    UNDEFINED_DUE_LABEL,
    Occurrence,
    Schedule,
    format_date,
    no_such_date,
)
from roadmaps.deadlines.parser import parse_deadline
from roadmaps.deadlines.phrases import names_a_rule

__all__ = [
    "BY_EVENT_NOTE",
    "KINDS",
    "KINDS_NEEDING_REVIEW",
    "KIND_BY_EVENT",
    "KIND_BY_PLAN",
    "KIND_CONTINUOUS",
    "KIND_DATE",
    "KIND_DATES",
    "KIND_LABELS",
    "KIND_RANGE",
    "KIND_RECURRING",
    "KIND_UNPARSED",
    "REVIEW_NOTES",
    "UNDEFINED_DUE_LABEL",
    "Occurrence",
    "Schedule",
    "format_date",
    "names_a_rule",
    "no_such_date",
    "parse_deadline",
]
