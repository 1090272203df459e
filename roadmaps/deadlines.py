"""Turn the free-text deadline of a roadmap activity («Сроки») into dated occurrences.

Nothing is guessed: a date that does not exist, an end before its start or a date outside the roadmap's
period keeps the recognised kind, gets no occurrence and is explained in `problems`. Conventions: a year
range («2019-2024») is one "range" occurrence; «постоянно» / «в течение года» give one occurrence per
calendar year; «до» / «не позднее» give a due date only; a date without a year takes the period's first
year (flagged when the period spans several years); «по графику» gives one occurrence without a due date.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

from roadmaps.deadline_words import (
    MONTHS,
    MONTHS_GENITIVE,
    MONTHS_IN,
    ROMAN,
    SYMBOL_TOKENS,
    Token,
    number_token,
    unit_name,
    unit_phrase,
    word_token,
)

KIND_DATE = "date"
KIND_RANGE = "range"
KIND_DATES = "dates"
KIND_RECURRING = "recurring"
KIND_CONTINUOUS = "continuous"
KIND_BY_PLAN = "by_plan"
KIND_UNPARSED = "unparsed"
KINDS = (KIND_DATE, KIND_RANGE, KIND_DATES, KIND_RECURRING, KIND_CONTINUOUS, KIND_BY_PLAN, KIND_UNPARSED)
UNDEFINED_DUE_LABEL = "срок не определён"

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_IN_LEAP_YEAR_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_UNIT_MONTHS = {"M": 1, "Q": 3, "H": 6, "A": 12}  # month, quarter, half-year, a whole year in a series
_PERIODIC = {
    "K": (3, "ежеквартально", ""),
    "L": (1, "ежемесячно", ""),
    "W": (1, "еженедельно", " (еженедельно)"),
}
_SUBDIVISIONS = {  # first month, last month and name of each quarter or month of a year
    3: [(3 * q - 2, 3 * q, f"{ROMAN[q - 1]} кв.") for q in range(1, 5)],
    1: [(month, month, name) for month, name in enumerate(MONTHS, 1)],
}

# A line's chunks: a day.month with an optional year, a number, a word or a symbol. The tokens they become
# are described in roadmaps.deadline_words.
_CHUNK_RE = re.compile(
    r"([0-9]{1,2})\s?\.\s?([0-9]{1,2})(?:\s?\.\s?([0-9]{4})|\.([0-9]{2}))?(?![0-9])"
    r"|([0-9]+)|([а-яa-z]+)|([^\s.:])"
)
_CADENCES = frozenset("EKLW")

# Forms of a token signature; a code's position in the signature is its token's index.
_WHEN = r"[DdY]|[MQH]Y?"
_ONE = re.compile(rf"(?P<p>[sut])?(?P<a>{_WHEN})")
_RANGE = re.compile(rf"s?(?P<a>n|{_WHEN})[-tu](?P<b>{_WHEN})")
_START = re.compile(rf"s?(?P<a>{_WHEN})")
_PLAN_START = re.compile(rf"s(?P<a>{_WHEN})")
_YEARS = re.compile(r"(?P<a>Y)(?:-(?P<b>Y))?")
_YEARLY_ITEM = re.compile(rf"(?P<p>[su])?(?P<a>{_WHEN})(?:-(?P<b>[MQH]Y?))?")

_WRITTEN_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_TAG_RE = re.compile(r"<[^>]*>")
_SINCE_RE = re.compile(r"\s(?:начиная\s+)?(?:с|со|c)\s")
_PARENTHESES_RE = re.compile(r"\(([^()]*)(?:\)|$)")  # an unclosed remark runs to the end
_INLINE_REMARK_RE = re.compile(
    r"\s*(?:далее\s*-?\s*)?(?:ежегод|ежекварт|ежемесяч|еженедел|постоян)[а-я]*\s*", re.IGNORECASE
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "‑": "-", "\u00a0": " ", "\r": ""})
_NEEDS_CLEANING_RE = re.compile("[<(–—‒−‑\u00a0\r]")


class Occurrence(NamedTuple):
    start: date | None
    due: date | None
    label: str

    @property
    def sort_key(self) -> tuple[date, date, str]:
        return (self.due or self.start or date.max, self.start or date.min, self.label)


_SORT_KEY = attrgetter("sort_key")
_CODE = itemgetter(0)


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
        return bool(self.problems) or self.kind == KIND_UNPARSED

    def describe(self) -> str:
        if self.kind == KIND_UNPARSED:
            return "срок не разобран"
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
            return f"{labels[0]} … {labels[-1]}, {count} {_plural(count, 'срок', 'срока', 'сроков')}"
        start, due, label = self.occurrences[0]
        if len(labels) == 1 and start and due and label == f"{format_date(start)}–{format_date(due)}":
            return f"с {format_date(start)} по {format_date(due)}"
        return ", ".join(labels)


def format_date(day: date) -> str:
    return f"{day.day:02}.{day.month:02}.{day.year}"


@lru_cache(maxsize=8192)
def parse_deadline(text: str, *, period: tuple[int, int]) -> Schedule:
    """Parse one deadline cell; `period` is the roadmap's (first year, last year).

    Results are cached on (text, period), so `period` must be a tuple; `parse_deadline.__wrapped__` is the
    same parser without the cache."""
    first_year, last_year = period
    if not MINYEAR <= first_year <= last_year <= MAXYEAR:
        raise ValueError(f"period must be (first_year, last_year) with first <= last, got {period!r}")
    body, notes = text, ()
    if _NEEDS_CLEANING_RE.search(text):
        body, notes = _split_notes(_TAG_RE.sub(" ", text).translate(_DASHES))
    lines = _lines(body)
    context = _Context(first_year, last_year)
    parsed = _parse_lines(lines, context) if lines else None
    if parsed is None:
        problem = "Срок не указан: укажите дату вручную."
        if shown := " ".join(text.split()):
            problem = f"Не удалось разобрать срок: «{shown}». Укажите дату вручную."
        return Schedule(text=text, kind=KIND_UNPARSED, problems=(problem,), notes=notes)
    occurrences = parsed.occurrences
    if not occurrences and not context.problems:  # e.g. «октябрь - март ежегодно» in a one-year plan
        context.flag(
            f"Ни один срок не попадает в период дорожной карты {first_year}–{last_year}: проверьте срок."
        )
    if parsed.needs_sorting and len(occurrences) > 1:
        occurrences = sorted(dict.fromkeys(occurrences), key=_SORT_KEY)
    return Schedule(
        text, parsed.kind, tuple(occurrences), tuple(context.problems), notes + parsed.notes, parsed.cadence
    )


class _NotRecognised(Exception):
    """The wording fits none of the known forms."""


@dataclass(slots=True)
class _Parsed:
    kind: str
    occurrences: Sequence[Occurrence]
    cadence: str = ""
    needs_sorting: bool = True
    notes: tuple[str, ...] = ()


class _Context:
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
        if not 1 <= month <= 12:
            self.flag(f"Даты {written} не существует: месяца {month} нет. Исправьте дату.")
            return
        days = _days_in(year, month)
        month_in = MONTHS_IN[month - 1] + (f" {year} года" if month == 2 else "")
        count = f"{days} {_plural(days, 'день', 'дня', 'дней')}"
        self.flag(f"Даты {written} не существует: в {month_in} {count}. Исправьте дату.")

    def flag_after_period(self, start: date) -> None:
        self.flag(
            f"Начало {format_date(start)} позже окончания дорожной карты ({self.last_year}): проверьте год."
        )


def _split_notes(text: str) -> tuple[str, tuple[str, ...]]:
    notes: list[str] = []

    def take_note(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _INLINE_REMARK_RE.fullmatch(inner):
            return f" {inner} "  # «с 01.09.2020 (ежегодно)»: the remark is the recurrence itself
        if note := " ".join(inner.split()):
            notes.append(note)
        return " "

    return _PARENTHESES_RE.sub(take_note, text), tuple(notes)


def _lines(body: str) -> list[str]:
    if "\n" not in body:  # most cells hold one line
        return [line] if (line := body.strip()) else []
    return [line for line in (raw.strip() for raw in body.split("\n")) if line]


def _parse_lines(lines: list[str], context: _Context) -> _Parsed | None:
    if len(lines) == 1 and (occurrence := _written_date(lines[0], context)):
        return _Parsed(KIND_DATE, [occurrence])
    if len(lines) > 1:
        list_context = _Context(context.first_year, context.last_year)
        if parsed := _parse_one_per_line(lines, list_context):
            context.problems = list_context.problems
            return parsed
    joined = " ".join(lines)  # a wording wrapped over several lines: «С 13.01. по\n28.01.2020»
    try:
        return _parse_clause(_tokenize(joined), joined, context)
    except _NotRecognised:
        return None


def _parse_one_per_line(lines: list[str], context: _Context) -> _Parsed | None:
    """A cell with one date (or range) per line, e.g. the same day in each year of the roadmap."""
    occurrences: list[Occurrence] = []
    remarks: list[str] = []
    for line in lines:
        if occurrence := _written_date(line, context):
            occurrences.append(occurrence)
            continue
        tokens = _tokenize(line)
        if [code for code, _ in tokens] == ["C"]:
            remarks.append(line)  # «В течение года» under the list: a remark on the dates above it
            continue
        try:
            occurrences += _parse_explicit(tokens, context).occurrences
        except _NotRecognised:
            return None
    if len(remarks) == len(lines):
        return None
    return _Parsed(KIND_DATES, occurrences, notes=tuple(remarks))


def _written_date(line: str, context: _Context) -> Occurrence | None:
    """The commonest deadline, a line that is just a valid ДД.ММ.ГГГГ inside the period, without tokenizing.

    None sends the line to the general parser, which also explains what is wrong with it."""
    if not (match := _WRITTEN_DATE_RE.fullmatch(line)):
        return None
    day, month, year = map(int, match.groups())
    if not context.first_year <= year <= context.last_year or not 1 <= month <= 12:
        return None
    if not 1 <= day <= _days_in(year, month):
        return None
    moment = date(year, month, day)
    return Occurrence(moment, moment, format_date(moment))


# Tokens -----------------------------------------------------------------------------------------------


def _tokenize(line: str) -> list[Token]:
    tokens: list[Token] = []
    chunks = _CHUNK_RE.findall(line.lower().replace("ё", "е"))
    for day, month, year, short_year, number, word, symbol in chunks:
        token: Token | None
        if word:  # the commonest chunk
            token = word_token(word)
            if token is None:
                continue
        elif number:
            token = number_token(number)
        elif day and (year or short_year):
            token = ("D", (int(day), int(month), int(year) if year else 2000 + int(short_year)))
        elif day:
            token = ("d", (int(day), int(month)))
        else:
            token = SYMBOL_TOKENS.get(symbol, ("?", symbol))
        if token[0] in "qMY":
            _push(tokens, token)
        else:
            tokens.append(token)
    return tokens


def _push(tokens: list[Token], token: Token) -> None:
    """Append a token, joining it with the ones it completes: «1-й квартал», «1 января 2020»."""
    code, value = token
    if code == "q":
        while tokens and tokens[-1][0] in "-~":
            tokens.pop()
        ordinal = tokens.pop()[1] if tokens and tokens[-1][0] in "on" else 0
        token = ("Q" if value == 3 else "H", ordinal) if 1 <= ordinal <= 12 // value else ("?", value)
    elif code == "M" and tokens and tokens[-1][0] == "n":
        token = ("d", (tokens.pop()[1], value))
    elif code == "Y" and tokens and tokens[-1][0] == "d":
        token = ("D", (*tokens.pop()[1], value))
    tokens.append(token)


def _signature(tokens: list[Token]) -> str:
    return "".join(map(_CODE, tokens))


def _split(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _parse_clause(tokens: list[Token], line: str, context: _Context) -> _Parsed:
    codes = _signature(tokens)
    if not _CADENCES.isdisjoint(codes):
        return _parse_recurring(tokens, context)
    if "P" in codes:
        return _parse_by_plan(tokens, line, context)
    if "C" in codes:
        return _parse_continuous(tokens, context)
    if "," in codes:
        parts = [_parse_explicit(part, context).occurrences for part in _split(tokens)]
        return _Parsed(KIND_DATES, [occurrence for part in parts for occurrence in part])
    return _parse_explicit(tokens, context)


# Days, months, quarters, half-years and years ---------------------------------------------------------


def _month_lengths(year: int) -> tuple[int, ...]:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS_IN_LEAP_YEAR_MONTH if leap else _DAYS_IN_MONTH


def _days_in(year: int, month: int) -> int:
    return _month_lengths(year)[month - 1]


def _month_span(token: Token) -> tuple[int, int, int, int]:
    """First month and day, last month and day (0: the month's end) of a date or unit token."""
    code, value = token
    if code in "Dd":
        return value[1], value[0], value[1], value[0]
    months = _UNIT_MONTHS[code]
    first_month = (value - 1) * months + 1
    return first_month, 1, first_month + months - 1, 0


def _bounds(token: Token, year: int) -> tuple[date, date] | None:
    """First and last day of a date or unit token in `year`; None when that day does not exist."""
    if token[0] == "Y":
        return date(token[1], 1, 1), date(token[1], 12, 31)
    first_month, first_day, last_month, last_day = _month_span(token)
    if not MINYEAR <= year <= MAXYEAR or not 1 <= first_month <= 12:
        return None
    if not 1 <= first_day <= _days_in(year, first_month):
        return None
    return date(year, first_month, first_day), date(year, last_month, last_day or _days_in(year, last_month))


def _label(token: Token, start: date) -> str:
    return format_date(start) if token[0] in "Dd" else f"{unit_name(*token)} {start.year}".lstrip()


def _span_label(first: Token, start: date, last: Token, due: date) -> str:
    if first[0] in "Dd" and last[0] in "Dd":
        return format_date(start) if start == due else f"{format_date(start)}–{format_date(due)}"
    first_label, last_label = _label(first, start), _label(last, due)
    if first_label == last_label:
        return first_label
    if first[0] == last[0] and first[0] in _UNIT_MONTHS and start.year == due.year:
        return f"{unit_name(*first)}–{unit_name(*last)} {due.year}"  # «март–апрель 2020»
    return f"{first_label}–{last_label}"


def _stated_year(tokens: list[Token], match: re.Match[str], group: str) -> int | None:
    index = match.start(group)
    code, value = tokens[index]
    if code in "DY":
        return value[2] if code == "D" else value
    return tokens[index + 1][1] if match.end(group) - index == 2 else None


def _span(token: Token, year: int, context: _Context) -> tuple[date, date] | None:
    bounds = _bounds(token, year)
    if bounds is None:
        context.flag_missing_day(token[1][0], token[1][1], year)
    return bounds


def _start_of(tokens: list[Token], match: re.Match[str], context: _Context) -> date | None:
    span = _span(tokens[match.start("a")], context.year(_stated_year(tokens, match, "a")), context)
    return span[0] if span else None


# Explicit dates, ranges and lists ---------------------------------------------------------------------


def _parse_explicit(tokens: list[Token], context: _Context) -> _Parsed:
    signature = _signature(tokens)
    if match := _ONE.fullmatch(signature):
        occurrences = _one(tokens, match, context)
        kind = KIND_DATE if match["p"] or tokens[match.start("a")][0] in "Dd" else KIND_RANGE
    elif match := _RANGE.fullmatch(signature):
        occurrences, kind = _range(tokens, match, context), KIND_RANGE
    else:
        raise _NotRecognised
    return _Parsed(kind, _within_period(occurrences, context))


def _one(tokens: list[Token], match: re.Match[str], context: _Context) -> list[Occurrence]:
    token = tokens[match.start("a")]
    span = _span(token, context.year(_stated_year(tokens, match, "a")), context)
    if span is None:
        return []
    start, due = span
    if match["p"] == "s":
        return [Occurrence(start, None, f"с {format_date(start)}")]
    if match["p"]:
        return [Occurrence(None, due, f"до {format_date(due)}")]
    return [Occurrence(start, due, _label(token, start))]


def _range(tokens: list[Token], match: re.Match[str], context: _Context) -> list[Occurrence]:
    first, last = tokens[match.start("a")], tokens[match.start("b")]
    first_year = None if first[0] == "n" else _stated_year(tokens, match, "a")
    last_year = _stated_year(tokens, match, "b")
    end = _span(last, context.year(last_year if last_year is not None else first_year), context)
    if end is None:
        return []
    due = end[1]
    if first[0] == "n":
        if last[0] not in "Dd":
            raise _NotRecognised  # «12-2021» names no month for the 12th
        if first[1] > due.day:
            context.flag(
                f"Начало срока неоднозначно: день {first[1]} позже даты окончания "
                f"{format_date(due)}, месяц начала не ясен. Укажите дату начала полностью."
            )
            return []
        first, start = ("d", (first[1], due.month)), date(due.year, due.month, first[1])
    elif beginning := _span(first, first_year if first_year is not None else due.year, context):
        start = beginning[0]
    else:
        return []
    if due < start:
        context.flag(
            f"Срок окончания {_label(last, due)} раньше начала {_label(first, start)}. Проверьте даты."
        )
        return []
    return [Occurrence(start, due, _span_label(first, start, last, due))]


def _within_period(occurrences: list[Occurrence], context: _Context) -> list[Occurrence]:
    """Written dates outside the roadmap's years are a mistake to show, not a date to keep."""
    kept = []
    first_day, last_day = context.first_day, context.last_day
    for occurrence in occurrences:
        start, due = occurrence.start, occurrence.due
        start_kept = start is None or first_day <= start <= last_day
        if start_kept and (due is None or first_day <= due <= last_day):
            kept.append(occurrence)
            continue
        what = "Дата" if occurrence.start == occurrence.due else "Срок"
        context.flag(
            f"{what} {occurrence.label} вне периода дорожной карты "
            f"{context.first_year}–{context.last_year}: проверьте год."
        )
    return kept


# Recurring, continuous and by-plan --------------------------------------------------------------------


def _anchor(tokens: list[Token], dropped: str) -> list[Token]:
    """The tokens left once the keywords are removed, without separators at either end."""
    kept = [token for token in tokens if token[0] not in dropped]
    while kept and kept[0][0] in ",-":
        kept.pop(0)
    while kept and kept[-1][0] in ",-":
        kept.pop()
    return kept


def _anchor_start(anchor: list[Token], context: _Context) -> date | None:
    if not (match := _START.fullmatch(_signature(anchor))):
        raise _NotRecognised
    return _start_of(anchor, match, context)


def _parse_recurring(tokens: list[Token], context: _Context) -> _Parsed:
    cadences = {code for code, _ in tokens if code in _CADENCES}
    if len(cadences) > 1:
        raise _NotRecognised
    cadence = cadences.pop()
    plan = next((value for code, value in tokens if code == "P"), None)  # «Ежегодно по графику»
    anchor = [] if plan else _anchor(tokens, "EKLW>")
    suffix = f" по {plan}" if plan else ""
    if cadence == "E":
        return _parse_yearly(anchor, context, suffix)
    return _parse_periodic(cadence, anchor, context, suffix)


def _parse_periodic(cadence: str, anchor: list[Token], context: _Context, suffix: str) -> _Parsed:
    step, word, label_suffix = _PERIODIC[cadence]
    start = _anchor_start(anchor, context) if anchor else None
    if anchor and start is None:
        return _Parsed(KIND_RECURRING, [], word + suffix)
    begin = max(start, context.first_day) if start else context.first_day
    if begin > context.last_day:
        context.flag_after_period(begin)
    occurrences = _periodic_occurrences(step, label_suffix, begin, context.last_year)
    since = f" с {format_date(start)}" if start else ""
    return _Parsed(KIND_RECURRING, occurrences, word + since + suffix, needs_sorting=False)


# Every «ежемесячно» row of a roadmap expands to the same dozens of months: build them once.
@lru_cache(maxsize=256)
def _periodic_occurrences(
    step: int, label_suffix: str, begin: date, last_year: int
) -> tuple[Occurrence, ...]:
    """Each quarter (step 3) or month (step 1) from `begin` to the end of `last_year`."""
    occurrences = []
    for year in range(begin.year, last_year + 1):
        month_lengths = _month_lengths(year)
        for first_month, last_month, name in _SUBDIVISIONS[step]:
            if (year, last_month) >= (begin.year, begin.month):
                due = date(year, last_month, month_lengths[last_month - 1])
                label = f"{name} {year}{label_suffix}"
                occurrences.append(Occurrence(date(year, first_month, 1), due, label))
    if occurrences:
        occurrences[0] = occurrences[0]._replace(start=begin)
    return tuple(occurrences)


def _parse_yearly(anchor: list[Token], context: _Context, suffix: str) -> _Parsed:
    items = _split(anchor) or [[("Y", context.first_year)]]  # plain «ежегодно»: every whole year
    matches = [_YEARLY_ITEM.fullmatch(_signature(item)) for item in items]
    if not all(matches):
        raise _NotRecognised
    pairs = list(zip(items, matches, strict=True))
    stated = [_stated_year(item, match, "a") for item, match in pairs if match]
    first_year = min((year for year in stated if year is not None), default=context.first_year)
    if first_year > context.last_year:
        context.flag_after_period(date(first_year, 1, 1))
    series, unit_phrases, date_phrases = [], [], []
    for item, match in pairs:
        assert match is not None
        first = item[match.start("a")]
        first = ("A", 1) if first[0] == "Y" else first  # «2020, далее ежегодно»: each whole year from 2020
        last = item[match.start("b")] if match["b"] else first
        if last[0] != first[0]:
            raise _NotRecognised
        if first[0] in "Dd":
            if _span(first, first_year, context) is None:
                continue
            day, month = first[1][:2]
            until = "до " if match["p"] == "u" else ""
            date_phrases.append(f"{until}{day} {MONTHS_GENITIVE[month - 1]}")
        elif first[0] != "A":
            unit_phrases.append("–".join(dict.fromkeys(unit_phrase(*unit) for unit in (first, last))))
        series.append(_yearly_series(first, last, match["p"] == "u"))
    occurrences = _yearly_occurrences(tuple(series), max(first_year, context.first_year), context.last_year)
    cadence = " ".join(["ежегодно", *([f"в {_join(unit_phrases)}"] if unit_phrases else []), *date_phrases])
    return _Parsed(KIND_RECURRING, occurrences, cadence + suffix, needs_sorting=False)


_YearlySeries = tuple[int, int, int, int, int, str, bool]


# The same yearly wording recurs across a roadmap's rows; its expansion depends only on the series and years.
@lru_cache(maxsize=256)
def _yearly_occurrences(
    series: tuple[_YearlySeries, ...], first_year: int, last_year: int
) -> tuple[Occurrence, ...]:
    """The occurrences of each series in each year from `first_year` to `last_year`, in date order."""
    occurrences = []
    for year in range(first_year, last_year + 1):
        for first_month, first_day, last_month, last_day, wraps, label, due_only in series:
            end_year = year + wraps
            if end_year > last_year or first_day > _days_in(year, first_month):
                continue  # past the roadmap's end, or 29 февраля in a common year
            due = date(end_year, last_month, last_day or _days_in(end_year, last_month))
            start = None if due_only else date(year, first_month, first_day)
            occurrences.append(Occurrence(start, due, label.format(year, end_year)))
    if len(series) > 1:  # several series interleave; one series is already in order
        return tuple(sorted(dict.fromkeys(occurrences), key=_SORT_KEY))
    return tuple(occurrences)


@lru_cache(maxsize=256)
def _yearly_series(first: Token, last: Token, due_only: bool) -> _YearlySeries:
    """Months and days of one yearly item, and its label as a template for the years it falls in."""
    first_month, first_day = _month_span(first)[:2]
    last_month, last_day = _month_span(last)[2:]
    wraps = int((last_month, last_day or 31) < (first_month, first_day))  # «октябрь - март»: ends next year
    if first[0] in "Dd":
        label = f"{'до ' if due_only else ''}{first_day:02}.{first_month:02}.{{0}}"
    elif first == last:
        label = f"{unit_name(*first)} {{0}}".lstrip()
    elif wraps:
        label = f"{unit_name(*first)} {{0}}–{unit_name(*last)} {{1}}"
    else:
        label = f"{unit_name(*first)}–{unit_name(*last)} {{0}}"
    return first_month, first_day, last_month, last_day, wraps, label, due_only


def _parse_continuous(tokens: list[Token], context: _Context) -> _Parsed:
    cadence = next(value for code, value in tokens if code == "C")
    anchor = _anchor(tokens, "C>")
    if years := _YEARS.fullmatch(_signature(anchor)):  # «в течение 2021 года»: only those years
        first_year = anchor[years.start("a")][1]
        last_year = anchor[years.start("b")][1] if years["b"] else first_year
        wanted = [_whole_year(year) for year in range(first_year, last_year + 1)]
        return _Parsed(KIND_CONTINUOUS, _within_period(wanted, context), "в течение года")
    start = _anchor_start(anchor, context) if anchor else None
    if anchor and start is None:
        return _Parsed(KIND_CONTINUOUS, [], cadence)
    if start and start > context.last_day:
        context.flag_after_period(start)
    begin = max(start, context.first_day) if start else context.first_day
    occurrences = _years_from(begin, context.last_year)
    since = f" с {format_date(start)}" if start else ""
    return _Parsed(KIND_CONTINUOUS, occurrences, cadence + since, needs_sorting=False)


@lru_cache(maxsize=256)  # like «ежемесячно», «постоянно» rows share their expansion
def _years_from(begin: date, last_year: int) -> tuple[Occurrence, ...]:
    """Each calendar year from `begin` to the end of `last_year`, the first one starting on `begin`."""
    return tuple(
        Occurrence(max(date(year, 1, 1), begin), date(year, 12, 31), str(year))
        for year in range(begin.year, last_year + 1)
    )


def _parse_by_plan(tokens: list[Token], line: str, context: _Context) -> _Parsed:
    first_clause = _SINCE_RE.split(line.lower().replace("ё", "е").split(",")[0])[0]
    cadence = " ".join(first_clause.split())  # «по графику», «по мере разработки программ»
    if len(cadence) > 60:
        cadence = cadence[:59].rstrip() + "…"
    match = _PLAN_START.search(_signature(tokens))
    start = _start_of(tokens, match, context) if match else None
    if start and start > context.last_day:
        context.flag_after_period(start)
    if start and not context.first_day <= start <= context.last_day:
        start = None  # no start date inside the roadmap's period
    return _Parsed(KIND_BY_PLAN, [Occurrence(start, None, UNDEFINED_DUE_LABEL)], cadence)


def _whole_year(year: int) -> Occurrence:
    return Occurrence(date(year, 1, 1), date(year, 12, 31), str(year))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} и {words[-1]}"


def _plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    return few if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else many
