"""Deadline wordings that name a rule instead of a date: a day of each month, a day after each reporting
period, «N раз в год», weekdays, school years and their parts, and deadlines tied to an event.

Each family is found by a regular expression on the lower-cased line. Whatever the expression leaves must
be words the token grammar knows — a cadence, «начиная с 2026 года», a list of months — or the wording is
not recognised: nothing in it is dropped silently.
"""

import re
from datetime import MAXYEAR, date, timedelta
from functools import lru_cache
from typing import NamedTuple

from roadmaps import school_year as school
from roadmaps.deadline_words import MONTHS, MONTHS_GENITIVE, ROMAN, Token
from roadmaps.deadlines.base import (
    BY_EVENT_NOTE,
    KIND_BY_EVENT,
    KIND_CONTINUOUS,
    KIND_DATES,
    KIND_RANGE,
    KIND_RECURRING,
    SORT_KEY,
    Context,
    NotRecognised,
    Occurrence,
    Parsed,
    days_in,
    format_date,
    plural,
)
from roadmaps.deadlines.grammar import (
    _SINCE,
    CADENCES,
    DAILY_NOTE,
    _anchor,
    _split,
    parse_yearly,
    periodic,
    signature,
    start_of,
    tokenize,
    within_period,
)

# Every rule wording has a word the token grammar does not know; its stem says which families to try.
_HINTS = {
    "event": ("поступлени", "запрос", "необходимост", "требовани", "обращени", "поручени", "факту", "момента",
              "случае", "утвержд", "получени", "издани", "подписани", "приняти", "вступлени", "проведени",
              "опубликовани", "заключени", "регистраци", "появлени", "возникновени", "готовност", "выход",
              "накоплени", "выявлени", "заявк", "решени", "указани", "наличии"),
    "relative": ("числ", "итогам", "результатам", "следующ", "окончани", "завершени", "истечени", "месяц"),
    "frequency": ("раз",),
    "school": ("учебн", "уч", "триместр", "каникул", "четверт", "/"),
    "weekday": ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен"),
}  # fmt: skip
_EVENT_RE = re.compile(
    r"\bпо\s+мере\s+(?:поступлени|необходимост|появлени|возникновени|готовност|обращени|получени|выход"
    r"|издани|изменени|накоплени|заключени|выявлени|запрос)"
    r"|\bпо\s+(?:запрос|требовани|обращени|поручени|заявк|факту\b|решени|указани)"
    r"|\b(?:после|со\s+дня|с\s+даты)\s+(?:утвержд|получени|поступлени|издани|подписани|приняти|вступлени"
    r"|проведени|опубликовани|заключени|регистраци)|\bс\s+момента\b"
    r"|\bпри\s+(?:поступлени|необходимост|наличии|получени|возникновени|появлени|изменени)|\bв\s+случае\b"
)
_UNIT_WORDS = (
    r"(?:(?:отчетн|истекш|прошедш|месяц|квартал|полугоди|год|период|четверт|триместр|учебн)[а-я]*)"
    r"(?:\s+(?:отчетн|месяц|квартал|полугоди|год|период|четверт|триместр|учебн)[а-я]*)*"
)
_DAY_RE = re.compile(r"(?P<day>\d{1,3})(?:\s*-?\s*(?:го|ого|е|ое|м|й))?\s*числ[а-я]*")
_UNTIL_TAIL_RE = re.compile(r"(?:до|не\s+позднее|не\s+позже|к)\s*$")
_NEXT_RE = re.compile(rf"(?:месяц[а-я]*\s*,?\s*)?следующ[а-я]*\s+(?P<za>за\s+)?(?P<after>{_UNIT_WORDS})")
_EACH_MONTH_RE = re.compile(r"кажд[а-я]*\s+месяц[а-я]*")
_AFTER_END_RE = re.compile(
    r"(?:в\s+течение\s+|не\s+позднее\s+|через\s+)?(?P<days>\d{1,3})\s+(?P<working>рабоч[а-я]*\s+)?"
    r"(?:календарн[а-я]*\s+)?(?:дн[а-я]*|день)\s+(?:после|с\s+момента|со\s+дня|с\s+даты)\s+"
    rf"(?:окончани|завершени|истечени)[а-я]*\s+(?P<after>{_UNIT_WORDS})"
)
_RESULTS_RE = re.compile(rf"по\s+(?:итогам|результатам)\s+(?:кажд[а-я]*\s+)?(?P<after>{_UNIT_WORDS})")
_COUNTS = {"один": 1, "одного": 1, "одна": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3,
           "трех": 3, "четыре": 4, "четырех": 4, "шесть": 6, "шести": 6, "двенадцать": 12}  # fmt: skip
_TIMES_RE = re.compile(
    r"\bраза?\s+в\s+(?P<unit>год|полугодие|квартал|месяц|неделю|четверть|триместр|учебный\s+год|день|сутки)\b"
)
_LEAST_TAIL_RE = re.compile(r"не\s+(?:реже|менее)\s*$")
_WEEKDAYS = {"понедельник": "понедельникам", "вторник": "вторникам", "сред": "средам", "четверг": "четвергам",
             "пятниц": "пятницам", "суббот": "субботам", "воскресен": "воскресеньям"}  # fmt: skip
_WEEKDAY_RE = re.compile(
    r"(?:по|в|во|кажд[а-я]*)\s+(?P<day>понедельник|вторник|сред|четверг|пятниц|суббот|воскресен)[а-я]*"
)
_SCHOOL_RE = re.compile(r"учебн|\bуч\b|четверт(?:ь|и|ей|ям|ях)\b|триместр|каникул")
_SCHOOL_YEARS_RE = re.compile(r"(?<![0-9])([0-9]{4})\s*[/-]\s*([0-9]{4}|[0-9]{2})(?![0-9])")
_WITH_SUMMER_RE = re.compile(r"31\s*\.\s*08|31\s+августа|по\s+август|включая\s+летн|с\s+учетом\s+летн")
_SCHOOL_ORDINAL_RE = re.compile(
    r"\b(?P<o>iv|i{1,3}|[1-4]|перв|втор|трет|четверт(?=[оаыу]))[а-я]*\s*(?:-\s*[а-я]+\s*)?(?:четверт|триместр)"
)
_ORDINALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4,
             "перв": 1, "втор": 2, "трет": 3, "четверт": 4}  # fmt: skip
# Words of a school wording besides its years and parts; anything else makes it unrecognised.
_SCHOOL_FILLER_RE = re.compile(
    r"\b(?:в|во|на|по|до|за|с|и|течение|итогам|результатам|кажд[а-я]*|учебн[а-я]*|уч|г|гг|год[а-я]*"
    r"|четверт[а-я]*|триместр[а-я]*|каникул[а-я]*|каникулярн[а-я]*|период[а-я]*|время|осенн[а-я]*"
    r"|зимн[а-я]*|весенн[а-я]*|летн[а-я]*|включая|учетом|август[а-я]*|ежегодно|iv|i{1,3}|[1-4]"
    r"|перв[а-я]*|втор[а-я]*|трет[а-я]*|й|я|ой|ая|31|08|течени[а-я]*|конц[а-я]*|окончани[а-я]*)\b"
)

SCHOOL_NOTE = (
    "Границы четвертей, триместров и каникул взяты по обычному календарю: сверьте с календарём региона."
)
WORKING_DAYS_NOTE = "Рабочие дни посчитаны с понедельника по пятницу, без праздников: проверьте срок."
WEEKLY_NOTE = "Еженедельный срок: контрольная точка одна за месяц, по неделям точки не создаются."

# Reporting units: the adverb of a series of them and the genitive after «после окончания».
_UNITS = {
    "M": ("ежемесячно", "месяца"),
    "Q": ("ежеквартально", "квартала"),
    "H": ("ежеполугодно", "полугодия"),
    "Y": ("ежегодно", "года"),
    "school_quarter": ("по итогам каждой четверти", "четверти"),
    "trimester": ("по итогам каждого триместра", "триместра"),
    "school_year": ("по итогам учебного года", "учебного года"),
    "holidays": ("в каникулы", "каникул"),
}
_UNIT_STEMS = (("учебн", "school_year"), ("четверт", "school_quarter"), ("триместр", "trimester"),
               ("полугод", "H"), ("квартал", "Q"), ("месяц", "M"), ("год", "Y"))  # fmt: skip
_UNIT_OF_CADENCE = {"L": "M", "K": "Q", "G": "H", "E": "Y"}
_CALENDAR_MONTHS = {"M": 1, "Q": 3, "H": 6, "Y": 12}
_SCHOOL_PARTS = {
    "school_quarter": school.SCHOOL_YEAR.quarters,
    "trimester": school.SCHOOL_YEAR.trimesters,
    "holidays": school.SCHOOL_YEAR.holidays,
    "school_year": (school.SCHOOL_YEAR.year,),
}


class _Span(NamedTuple):
    start: date
    end: date
    label: str


# The patterns that name a rule, shared with the importer's «is this cell a deadline?» (textutil).
_RULE_PATTERNS = (
    _DAY_RE,
    _EVENT_RE,
    _TIMES_RE,
    _WEEKDAY_RE,
    _SCHOOL_RE,
    _RESULTS_RE,
    _AFTER_END_RE,
    _NEXT_RE,
)


def names_a_rule(line: str) -> bool:
    """The wording names a deadline rule this module reads («до 20 числа», «по мере поступления», «2 раза в
    год», «по пятницам», «в течение учебного года», «по итогам квартала»…), whether or not it parses."""
    text = line.lower().replace("ё", "е")
    return any(pattern.search(text) for pattern in _RULE_PATTERNS)


def parse_phrase(line: str, tokens: list[Token], context: Context) -> Parsed | None:
    """The schedule of a rule wording, given its tokens; None for a wording of none of these families."""
    words = [value for code, value in tokens if code == "?" and isinstance(value, str)]
    found = {family for family, stems in _HINTS.items() for word in words if word.startswith(stems)}
    if not found:
        return None
    text = line.lower().replace("ё", "е")
    if "event" in found and _EVENT_RE.search(text):
        return _by_event(line)
    if "relative" in found and (relative := _relative(text, context)):
        return relative
    if "frequency" in found and (frequency := _find_frequency(text)):
        return _frequency(text, frequency, context)
    if found & {"school", "relative"} and _SCHOOL_RE.search(text):  # «четверти» alone reads as «четвёртый»
        return _school(text, context)
    if "weekday" in found and (weekday := _WEEKDAY_RE.search(text)):
        return _weekly(text, weekday, context)
    return None


class _Found(NamedTuple):
    """Where a phrase found without a regular expression's match object lies in the text."""

    first: int
    last: int
    value: str
    flag: bool

    def start(self) -> int:
        return self.first

    def end(self) -> int:
        return self.last


def _find_day(text: str) -> _Found | None:
    """«до 20 числа», «не позднее 3-го числа», «5 числа»: the day and whether it is a due day only."""
    if not (match := _DAY_RE.search(text)):
        return None
    until = _UNTIL_TAIL_RE.search(text, max(0, match.start() - 12), match.start())
    return _Found(until.start() if until else match.start(), match.end(), match["day"], bool(until))


def _find_frequency(text: str) -> tuple[_Found, str | None, str] | None:
    """«не реже одного раза в квартал»: the phrase (flag: «не реже»), the count as written and the unit."""
    if not (match := _TIMES_RE.search(text)):
        return None
    head = text[: match.start()].rstrip()
    last_word = head.rsplit(None, 1)[-1] if head else ""
    count = None
    if last_word.isdigit() or last_word in _COUNTS:
        count, head = last_word, head[: -len(last_word)].rstrip()
    least = _LEAST_TAIL_RE.search(head, max(0, len(head) - 12))
    first = least.start() if least else len(head)
    return _Found(first, match.end(), match["unit"], bool(least)), count, " ".join(match["unit"].split())


# Deadlines tied to an event ---------------------------------------------------------------------------


def _by_event(line: str) -> Parsed:
    cadence = " ".join(line.split())
    cadence = cadence[:1].lower() + cadence[1:]
    if len(cadence) > 60:
        cadence = cadence[:59].rstrip() + "…"
    return Parsed(KIND_BY_EVENT, [], cadence, notes=(BY_EVENT_NOTE,))


# What is left of a wording once its phrase is taken out ----------------------------------------------


class _Rest(NamedTuple):
    cadences: set[str]
    since: date | None
    bad_start: bool  # a start was written but names no real day (already flagged)
    tokens: list[Token]


def _rest(text: str, context: Context) -> _Rest:
    tokens = tokenize(text)
    cadences = {code for code, _ in tokens if code in CADENCES}
    kept = _anchor(tokens, "EGJKLW>~")
    since = None
    if match := _SINCE.search(signature(kept)):
        since = start_of(kept, match, context)
        kept = _anchor(kept[: match.start()] + kept[match.end() :], "")
    return _Rest(cadences, since, bool(match) and since is None, kept)


def _without(text: str, *matches: re.Match[str] | _Found | None) -> str:
    for match in sorted((m for m in matches if m), key=lambda m: -m.start()):
        text = text[: match.start()] + " , " + text[match.end() :]
    return text


def _unit_of(words: str | None) -> str | None:
    for stem, unit in _UNIT_STEMS:
        if words and stem in words:
            return unit
    return None


def _spans(unit: str, context: Context) -> tuple[_Span, ...]:
    return _spans_in(unit, context.first_year, context.last_year)


@lru_cache(maxsize=64)
def _spans_in(unit: str, first_year: int, last_year: int) -> tuple[_Span, ...]:
    """Every month, quarter, half-year, year or part of a school year that starts inside the period."""
    spans = []
    if months := _CALENDAR_MONTHS.get(unit):
        for year in range(first_year, last_year + 1):
            for number, first_month in enumerate(range(1, 13, months), 1):
                last_month = first_month + months - 1
                end = date(year, last_month, days_in(year, last_month))
                spans.append(
                    _Span(date(year, first_month, 1), end, f"{_unit_name(months, number)} {year}".lstrip())
                )
        return tuple(spans)
    first_day, last_day = date(first_year, 1, 1), date(last_year, 12, 31)
    for school_year in range(max(first_year - 1, 1), last_year + 1):
        for part in _SCHOOL_PARTS[unit]:
            start, end = school.part_days(part, school_year)
            if first_day <= start <= last_day:
                spans.append(_Span(start, end, _school_label(unit, part, school_year)))
    return tuple(sorted(spans))


def _unit_name(months: int, number: int) -> str:
    if months == 1:
        return MONTHS[number - 1]
    return f"{ROMAN[number - 1]} {'кв.' if months == 3 else 'полугодие'}" if months < 12 else ""


def _series(occurrences: list[Occurrence], context: Context, since: date | None) -> tuple[list, list]:
    """The occurrences inside the period from `since` on, and those of units whose day is past its end."""
    kept, late = [], []
    for occurrence in occurrences:
        if since and (occurrence.start or occurrence.due or since) < since:
            continue
        (kept if context.holds(occurrence) else late).append(occurrence)
    return sorted(kept, key=SORT_KEY), late


def _late_note(late: list[Occurrence]) -> tuple[str, ...]:
    if not late:
        return ()
    named = ", ".join(f"{o.label} — {format_date(o.due)}" for o in late if o.due)
    return (f"Срок позже окончания дорожной карты, контрольная точка не создана: {named}.",)


# Relative to a reporting period and days of the month --------------------------------------------------


def _relative(text: str, context: Context) -> Parsed | None:
    day_match = _find_day(text)
    next_match, each_match = _NEXT_RE.search(text), _EACH_MONTH_RE.search(text)
    after_match, results_match = _AFTER_END_RE.search(text), _RESULTS_RE.search(text)
    if not (day_match or next_match or each_match or after_match or results_match):
        return None
    if after_match:
        day_match = None  # «10 дней после окончания» is not «10 числа»
    rest = _rest(_without(text, day_match, next_match, each_match, after_match, results_match), context)
    cadence_units = {_UNIT_OF_CADENCE.get(code) for code in rest.cadences}
    if None in cadence_units or len(cadence_units) > 1:
        raise NotRecognised  # «ежедневно» or two cadences beside a rule
    due_day = None
    if rest.tokens:  # «по итогам полугодия, до 25 июля»: one due day a year
        if not results_match or signature(rest.tokens) not in ("ud", "d"):
            raise NotRecognised
        due_day = rest.tokens[-1][1]
    stated = None
    if after_match:
        stated = _unit_of(after_match["after"])
    elif next_match and next_match["za"]:
        stated = _unit_of(next_match["after"])
    elif results_match:
        stated = _unit_of(results_match["after"])
    elif each_match:
        stated = "M"
    cadence_unit = next(iter(cadence_units), None)
    unit = stated or cadence_unit
    if rest.bad_start:
        return Parsed(KIND_RECURRING, [], _UNITS.get(unit or "M", ("",))[0])
    if after_match:
        if unit is None:
            raise NotRecognised
        return _days_after_end(unit, int(after_match["days"]), bool(after_match["working"]), rest, context)
    if day_match and next_match:
        return _day_of_next_month(unit or "M", int(day_match.value), rest, context)
    if day_match:
        return _day_of_month(unit or "M", day_match, rest, context, named=bool(each_match or cadence_unit))
    if results_match and unit:
        return _at_end(unit, due_day, rest, context)
    raise NotRecognised


def _day_problem(day: int, context: Context) -> bool:
    if 1 <= day <= 31:
        return False
    context.flag(f"Числа {day} в месяце нет: исправьте срок.")
    return True


def _on_day(year: int, month: int, day: int, notes: set[str]) -> date:
    """The `day` of a month; a short month's last day for «до 31 числа», with a note saying so."""
    if day > (length := days_in(year, month)):
        notes.add(f"В месяцах короче {day} дней срок — последний день месяца.")
        return date(year, month, length)
    return date(year, month, day)


def _day_of_next_month(unit: str, day: int, rest: _Rest, context: Context) -> Parsed:
    adverb, genitive = _UNITS[unit]
    cadence = f"{adverb}, до {day} числа месяца после {genitive}"
    if _day_problem(day, context):
        return Parsed(KIND_RECURRING, [], cadence)
    return _rule(("next", unit, day), cadence, rest, context)


def _day_of_month(unit: str, match: _Found, rest: _Rest, context: Context, *, named: bool) -> Parsed:
    day, until = int(match.value), match.flag
    cadence = f"ежемесячно {'до ' if until else ''}{day} числа"
    if unit != "M" or not named:
        if named:  # «ежеквартально, до 10 числа»: which month of the quarter is not said
            context.flag(f"Не ясно, к какому месяцу {_UNITS[unit][1]} относится {day} число: уточните срок.")
            return Parsed(KIND_RECURRING, [], _UNITS[unit][0])
        raise NotRecognised  # «до 20 числа» alone names no month at all
    if _day_problem(day, context):
        return Parsed(KIND_RECURRING, [], cadence)
    return _rule(("day", "M", day, until), cadence, rest, context)


def _days_after_end(unit: str, days: int, working: bool, rest: _Rest, context: Context) -> Parsed:
    adverb, genitive = _UNITS[unit]
    which = f"{days} {'рабочих ' if working else ''}{plural(days, 'дня', 'дней', 'дней')}"
    cadence = f"{adverb}, в течение {which} после окончания {genitive}"
    return _rule(("after", unit, days, working), cadence, rest, context)


def _working_days_after(end: date, days: int) -> date:
    moment = end
    while days:
        moment += timedelta(days=1)
        days -= moment.weekday() < 5
    return moment


def _at_end(unit: str, due_day: tuple[int, int] | None, rest: _Rest, context: Context) -> Parsed:
    genitive = _UNITS[unit][1]
    if due_day is None:  # «по итогам квартала»: due at the end of each one
        return _rule(("end", unit), f"по итогам {genitive}", rest, context)
    day, month = due_day
    cadence = f"по итогам {genitive}, до {day} {MONTHS_GENITIVE[month - 1] if 1 <= month <= 12 else month}"
    for year in range(context.first_year, context.last_year + 1):
        if not 1 <= month <= 12 or not 1 <= day <= days_in(year, month):
            context.flag_missing_day(day, month, year)
            return Parsed(KIND_RECURRING, [], cadence)
    return _rule(("by", unit, day, month), cadence, rest, context)


def _rule(rule: tuple, cadence: str, rest: _Rest, context: Context) -> Parsed:
    kept, late, notes = _expand(rule, context.first_year, context.last_year)
    if since := rest.since:
        kept = [o for o in kept if (o.start or o.due or since) >= since]
        late = [o for o in late if (o.start or o.due or since) >= since]
        cadence += f" с {format_date(since)}"
    return Parsed(KIND_RECURRING, kept, cadence, needs_sorting=False, notes=notes + _late_note(late))


# The same rule recurs across a roadmap's rows; its expansion depends only on the rule and the period.
@lru_cache(maxsize=256)
def _expand(rule: tuple, first_year: int, last_year: int) -> tuple[tuple[Occurrence, ...], ...]:
    """A rule's occurrences inside the period, those due after its end, and its notes."""
    context = Context(first_year, last_year)
    kind, unit, *args = rule
    spans = _spans(unit, context)
    notes: set[str] = set()
    occurrences = []
    if kind == "by":  # once a year: the unit that ended last before the day
        day, month = args
        for year in range(first_year, last_year + 1):
            due = date(year, month, day)
            if ended := [span for span in spans if span.end < due and (due - span.end).days <= 366]:
                start, _end, label = max(ended, key=lambda span: span.end)
                occurrences.append(Occurrence(start, due, label))
        if unit not in ("Y", "school_year"):
            genitive = _UNITS[unit][1]
            notes.add(f"Срок назван для одного {genitive} в году: за остальные контрольные точки не созданы.")
    for start, end, label in spans if kind != "by" else ():
        if kind == "end":
            occurrences.append(Occurrence(start, end, label))
        elif kind == "day":
            due = _on_day(start.year, start.month, args[0], notes)
            until = args[1]
            occurrences.append(
                Occurrence(None if until else due, due, f"{'до ' if until else ''}{format_date(due)}")
            )
        elif kind == "next" and (end.year, end.month) < (MAXYEAR, 12):
            year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
            occurrences.append(Occurrence(start, _on_day(year, month, args[0], notes), label))
        elif kind == "after" and end.year < MAXYEAR:
            days, working = args
            due = _working_days_after(end, days) if working else end + timedelta(days=days)
            occurrences.append(Occurrence(start, due, label))
    if unit in ("school_quarter", "trimester", "holidays"):
        notes.add(SCHOOL_NOTE)
    if kind == "after" and args[1]:
        notes.add(WORKING_DAYS_NOTE)
    kept, late = _series(occurrences, context, None)
    return tuple(kept), tuple(late if kind != "end" else ()), tuple(sorted(notes))


def _school_note(unit: str) -> tuple[str, ...]:
    return (SCHOOL_NOTE,) if unit in ("school_quarter", "trimester", "holidays") else ()


# «N раз в год», «не реже одного раза в квартал», weekdays ------------------------------------------------


def _frequency(text: str, found: tuple[_Found, str | None, str], context: Context) -> Parsed:
    match, written, unit_word = found
    count = int(written) if written and written.isdigit() else _COUNTS.get(written or "один")
    if not count:
        raise NotRecognised
    times = f"{'не реже ' if match.flag else ''}{count} {_times(count, match.flag)} в {unit_word}"
    rest = _rest(_without(text, match), context)
    if rest.cadences - {"E" if unit_word == "год" else ""}:
        raise NotRecognised
    if unit_word == "год":
        return _times_a_year(count, times, rest, context)
    if rest.tokens:
        raise NotRecognised
    once = () if count == 1 else (f"{times.capitalize()}: контрольная точка одна за {_per(unit_word)}.",)
    anchor = _since_anchor(rest)
    if unit_word in ("четверть", "триместр", "учебный год"):
        unit = {"четверть": "school_quarter", "триместр": "trimester", "учебный год": "school_year"}[
            unit_word
        ]
        parsed = _at_end(unit, None, rest, context)
    elif unit_word in ("день", "сутки"):
        parsed = periodic(3, "ежедневно", anchor, context, notes=(DAILY_NOTE,))
    elif unit_word == "неделю":
        parsed = periodic(
            1, "еженедельно", anchor, context, label_suffix=" (еженедельно)", notes=(WEEKLY_NOTE,)
        )
    else:
        parsed = periodic({"полугодие": 6, "квартал": 3, "месяц": 1}[unit_word], times, anchor, context)
    parsed.cadence = times + (f" с {format_date(rest.since)}" if rest.since else "")
    parsed.notes = (*parsed.notes, *once)
    return parsed


def _times_a_year(count: int, times: str, rest: _Rest, context: Context) -> Parsed:
    anchor = _since_anchor(rest)
    if rest.tokens:  # «2 раза в год (апрель, октябрь)»: a yearly series in those months
        items = _split(rest.tokens)
        parsed = parse_yearly(rest.tokens + ([(",", None), *anchor] if anchor else []), context)
        if len(items) != count:
            context.flag(f"Указано {count} {_times(count)} в год, а сроков названо {len(items)}: проверьте.")
        parsed.cadence = f"{times}: {parsed.cadence.removeprefix('ежегодно ')}"
        return parsed
    if count == 1:
        parsed = parse_yearly(anchor, context)
    elif count in (2, 3, 4, 6, 12):
        parsed = periodic(12 // count, times, anchor, context)
        parsed.notes = (f"Месяцы не указаны: год разделён на {count} равные части.",)
    else:
        parsed = parse_yearly(anchor, context)
        parsed.notes = (f"{times.capitalize()}: сроки внутри года не указаны, контрольная точка одна в год.",)
    parsed.cadence = times + (f" с {format_date(rest.since)}" if rest.since else "")
    return parsed


def _since_anchor(rest: _Rest) -> list[Token]:
    """The start as tokens the grammar's series read: «с 01.03.2026»."""
    if rest.since is None:
        return []
    moment = rest.since
    return [("s", None), ("D", (moment.day, moment.month, moment.year))]


def _times(count: int, genitive: bool = False) -> str:
    return "раза" if genitive and count == 1 else plural(count, "раз", "раза", "раз")


def _per(unit_word: str) -> str:
    return {"неделю": "месяц", "день": "квартал", "сутки": "квартал"}.get(unit_word, unit_word)


def _weekly(text: str, match: re.Match[str], context: Context) -> Parsed:
    """«еженедельно по пятницам»: weekly, reported once a month like «еженедельно»."""
    rest = _rest(_without(text, match), context)
    if rest.cadences - {"W"} or rest.tokens:
        raise NotRecognised
    parsed = periodic(1, "еженедельно", _since_anchor(rest), context, label_suffix=" (еженедельно)")
    since = f" с {format_date(rest.since)}" if rest.since else ""
    parsed.cadence = f"еженедельно по {_WEEKDAYS[match['day']]}{since}"
    parsed.notes = (WEEKLY_NOTE,)
    return parsed


# School years, quarters, trimesters and holidays -------------------------------------------------------


def _school(text: str, context: Context) -> Parsed:
    with_summer = _WITH_SUMMER_RE.search(text)
    pairs = [(int(first), int(second)) for first, second in _SCHOOL_YEARS_RE.findall(text)]
    rest = _SCHOOL_FILLER_RE.sub(" ", _SCHOOL_YEARS_RE.sub(" ", text))
    if re.search(r"[0-9а-яa-z]", rest):
        raise NotRecognised  # a word or a date the school wordings do not use
    during = "течени" in text
    unit = "school_year"
    if "каникул" in text:
        unit = "holidays"
    elif re.search(r"четверт(?:ь|и|ей|ям|ях)\b", text):
        unit = "school_quarter"
    elif "триместр" in text:
        unit = "trimester"
    parts = _SCHOOL_PARTS[unit]
    if unit == "school_year" and with_summer:
        parts = (school.SCHOOL_YEAR.year_with_summer,)
    elif unit == "holidays":
        seasons = [part for part in parts if part.name.split()[0][:4] in text]
        parts = tuple(seasons) or parts
    elif ordinal := _SCHOOL_ORDINAL_RE.search(text):
        number = _ORDINALS[ordinal["o"]]
        if number > len(parts):
            context.flag(f"В учебном году {len(parts)} {_UNITS[unit][1]}: {number}-го нет, проверьте срок.")
            return Parsed(KIND_RANGE, [])
        parts = (parts[number - 1],)
    school_years = []
    for first, second in pairs:
        second = second + first // 100 * 100 if second < 100 else second
        if second != first + 1:
            context.flag(f"Учебный год {first}/{second}: годы должны идти подряд, проверьте.")
            return Parsed(KIND_RANGE, [])
        school_years.append(first)
    if school_years:
        occurrences = [
            Occurrence(*school.part_days(part, year), _school_label(unit, part, year))
            for year in dict.fromkeys(school_years)
            for part in parts
        ]
        kind = KIND_CONTINUOUS if during and unit == "school_year" else KIND_RANGE
        if unit != "school_year" and len(occurrences) > 1:
            kind = KIND_RECURRING
        elif kind == KIND_RANGE and len(occurrences) > 1:
            kind = KIND_DATES
        cadence = f"в течение {_UNITS[unit][1]}" if kind == KIND_CONTINUOUS else ""
        return Parsed(kind, within_period(occurrences, context), cadence, notes=_school_note(unit))
    if unit == "school_year":
        return _each_school_year(parts[0], context)
    occurrences = [
        Occurrence(*school.part_days(part, year), _school_label(unit, part, year))
        for year in range(max(context.first_year - 1, 1), context.last_year + 1)
        for part in parts
    ]
    kept = sorted((o for o in occurrences if context.holds(o)), key=SORT_KEY)
    cadence = _UNITS[unit][0] if len(parts) == len(_SCHOOL_PARTS[unit]) else f"ежегодно: {parts[0].name}"
    if unit == "holidays" and len(parts) < len(_SCHOOL_PARTS["holidays"]):
        cadence = f"в {' и '.join(part.name for part in parts)}"
    return Parsed(KIND_RECURRING, kept, cadence, notes=_school_note(unit))


def _school_label(unit: str, part: school.Part, year: int) -> str:
    return school.school_year_name(year) if unit == "school_year" else school.part_label(part, year)


def _each_school_year(part: school.Part, context: Context) -> Parsed:
    """«в течение учебного года»: each school year that overlaps the period, cut to the period."""
    occurrences, cut = [], False
    for year in range(max(context.first_year - 1, 1), context.last_year + 1):
        start, end = school.part_days(part, year)
        if end < context.first_day or start > context.last_day:
            continue
        cut = cut or start < context.first_day or end > context.last_day
        start, end = max(start, context.first_day), min(end, context.last_day)
        occurrences.append(Occurrence(start, end, school.school_year_name(year)))
    period = f"{context.first_year}–{context.last_year}"
    notes = (f"Учебные годы обрезаны по периоду дорожной карты {period}.",) if cut else ()
    return Parsed(KIND_CONTINUOUS, occurrences, "в течение учебного года", needs_sorting=False, notes=notes)
