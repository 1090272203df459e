"""The token grammar of deadline wordings: explicit dates and ranges, lists, yearly, quarterly, monthly and
weekly series, continuous and by-plan deadlines. Token codes are described in roadmaps.deadline_words."""

import re
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache
from operator import itemgetter

from roadmaps.deadline_words import (
    MONTHS,
    MONTHS_GENITIVE,
    ROMAN,
    SYMBOL_TOKENS,
    Token,
    number_token,
    unit_genitive,
    unit_name,
    unit_phrase,
    word_token,
)
from roadmaps.deadlines.base import (
    KIND_BY_PLAN,
    KIND_CONTINUOUS,
    KIND_DATE,
    KIND_DATES,
    KIND_RANGE,
    KIND_RECURRING,
    SORT_KEY,
    UNDEFINED_DUE_LABEL,
    Context,
    NotRecognised,
    Occurrence,
    Parsed,
    days_in,
    format_date,
    join,
    month_lengths,
)

_UNIT_MONTHS = {"M": 1, "Q": 3, "H": 6, "A": 12}  # month, quarter, half-year, a whole year in a series
DAILY_NOTE = "Ежедневное мероприятие: контрольная точка одна за квартал (отчётный период), не за каждый день."
_PERIODIC = {  # step in months, cadence, label suffix and note of each periodic cadence
    "G": (6, "ежеполугодно", "", ()),
    "K": (3, "ежеквартально", "", ()),
    "L": (1, "ежемесячно", "", ()),
    "W": (1, "еженедельно", " (еженедельно)", ()),
    "J": (3, "ежедневно", "", (DAILY_NOTE,)),
}
_SUBDIVISIONS = {  # first month, last month and name of each part of a year, by the part's length in months
    6: [(1, 6, "I полугодие"), (7, 12, "II полугодие")],
    4: [(4 * p - 3, 4 * p, f"{MONTHS[4 * p - 4]}–{MONTHS[4 * p - 1]}") for p in range(1, 4)],
    3: [(3 * q - 2, 3 * q, f"{ROMAN[q - 1]} кв.") for q in range(1, 5)],
    2: [(2 * p - 1, 2 * p, f"{MONTHS[2 * p - 2]}–{MONTHS[2 * p - 1]}") for p in range(1, 7)],
    1: [(month, month, name) for month, name in enumerate(MONTHS, 1)],
}

# A line's chunks: a day.month with an optional year, a number, a word or a symbol. The tokens they become
# are described in roadmaps.deadline_words.
_CHUNK_RE = re.compile(
    r"([0-9]{1,2})\s?\.\s?([0-9]{1,2})(?:\s?\.\s?([0-9]{4})|\.([0-9]{2}))?(?![0-9])"
    r"|([0-9]+)|([а-яa-z]+)|([^\s.:])"
)
CADENCES = frozenset("EGJKLW")

# Forms of a token signature; a code's position in the signature is its token's index.
_WHEN = r"[DdY]|[MQH]Y?"
_ONE = re.compile(rf"(?P<p>[sut])?(?P<a>{_WHEN})")
_RANGE = re.compile(rf"s?(?P<a>n|{_WHEN})[-tu](?P<b>{_WHEN})")
_START = re.compile(rf"s?(?P<a>{_WHEN})")
_PLAN_START = re.compile(rf"s(?P<a>{_WHEN})")
_YEARS = re.compile(r"(?P<a>Y)(?:-(?P<b>Y))?")
_YEARLY_ITEM = re.compile(rf"(?P<p>[su])?(?P<a>{_WHEN})(?:-(?P<b>[MQH]Y?))?")
_SERIES_START = re.compile(r"s(?P<a>Y|[MQH]Y|D)")  # «начиная с 2026 года» beside the items of a series
_SINCE = re.compile(r"s(?P<a>Y|[MQH]Y?|[Dd])")

_SINCE_RE = re.compile(r"\s(?:начиная\s+)?(?:с|со|c)\s")
_CODE = itemgetter(0)


# Tokens -----------------------------------------------------------------------------------------------


def tokenize(line: str) -> list[Token]:
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


def signature(tokens: list[Token]) -> str:
    return "".join(map(_CODE, tokens))


def _split(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def parse_clause(tokens: list[Token], line: str, context: Context, codes: str = "") -> Parsed:
    codes = codes or signature(tokens)
    if not CADENCES.isdisjoint(codes):
        return _parse_recurring(tokens, context)
    if "P" in codes:
        return _parse_by_plan(tokens, line, context)
    if "C" in codes:
        return _parse_continuous(tokens, context)
    if "," in codes:
        parts = [parse_explicit(part, context).occurrences for part in _share_year(_split(tokens))]
        return Parsed(KIND_DATES, [occurrence for part in parts for occurrence in part])
    return parse_explicit(tokens, context)


def _share_year(parts: list[list[Token]]) -> list[list[Token]]:
    """«апрель, ноябрь 2025 г.»: an item without a year takes the year of the next item that states one."""
    year, shared = None, []
    for part in reversed(parts):
        if stated := [value if code == "Y" else value[2] for code, value in part if code in "DY"]:
            year = stated[-1]
        elif year is not None and part[-1][0] in "MQHd":
            code, value = part[-1]
            part = [*part[:-1], ("D", (*value, year))] if code == "d" else [*part, ("Y", year)]
        shared.append(part)
    return shared[::-1]


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
    if not 1 <= first_day <= days_in(year, first_month):
        return None
    return date(year, first_month, first_day), date(year, last_month, last_day or days_in(year, last_month))


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


def _span(token: Token, year: int, context: Context) -> tuple[date, date] | None:
    bounds = _bounds(token, year)
    if bounds is None:
        context.flag_missing_day(token[1][0], token[1][1], year)
    return bounds


def start_of(tokens: list[Token], match: re.Match[str], context: Context) -> date | None:
    span = _span(tokens[match.start("a")], context.year(_stated_year(tokens, match, "a")), context)
    return span[0] if span else None


# Explicit dates, ranges and lists ---------------------------------------------------------------------


def parse_explicit(tokens: list[Token], context: Context) -> Parsed:
    codes = signature(tokens)
    if match := _ONE.fullmatch(codes):
        occurrences = _one(tokens, match, context)
        kind = KIND_DATE if match["p"] or tokens[match.start("a")][0] in "Dd" else KIND_RANGE
    elif match := _RANGE.fullmatch(codes):
        occurrences, kind = _range(tokens, match, context), KIND_RANGE
    else:
        raise NotRecognised
    return Parsed(kind, within_period(occurrences, context))


def _one(tokens: list[Token], match: re.Match[str], context: Context) -> list[Occurrence]:
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


def _range(tokens: list[Token], match: re.Match[str], context: Context) -> list[Occurrence]:
    first, last = tokens[match.start("a")], tokens[match.start("b")]
    first_year = None if first[0] == "n" else _stated_year(tokens, match, "a")
    last_year = _stated_year(tokens, match, "b")
    end = _span(last, context.year(last_year if last_year is not None else first_year), context)
    if end is None:
        return []
    due = end[1]
    if first[0] == "n":
        if last[0] not in "Dd":
            raise NotRecognised  # «12-2021» names no month for the 12th
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


def within_period(occurrences: list[Occurrence], context: Context) -> list[Occurrence]:
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


def anchor_start(anchor: list[Token], context: Context) -> date | None:
    if not (match := _START.fullmatch(signature(anchor))):
        raise NotRecognised
    return start_of(anchor, match, context)


def _parse_recurring(tokens: list[Token], context: Context) -> Parsed:
    cadences = {code for code, _ in tokens if code in CADENCES}
    if len(cadences) > 1:
        raise NotRecognised
    cadence = cadences.pop()
    plan = next((value for code, value in tokens if code == "P"), None)  # «Ежегодно по графику»
    anchor = [] if plan else _anchor(tokens, "EGJKLW>")
    suffix = f" по {plan}" if plan else ""
    if cadence == "E":
        return parse_yearly(anchor, context, suffix)
    step, word, label_suffix, notes = _PERIODIC[cadence]
    return periodic(step, word, anchor, context, suffix, label_suffix, notes)


def periodic(
    step: int,
    word: str,
    anchor: list[Token],
    context: Context,
    suffix: str = "",
    label_suffix: str = "",
    notes: tuple[str, ...] = (),
) -> Parsed:
    """Each part of `step` months of every year, from the anchor's start (if any) to the roadmap's end."""
    start = anchor_start(anchor, context) if anchor else None
    if anchor and start is None:
        return Parsed(KIND_RECURRING, [], word + suffix, notes=notes)
    begin = max(start, context.first_day) if start else context.first_day
    if begin > context.last_day:
        context.flag_after_period(begin)
    occurrences = _periodic_occurrences(step, label_suffix, begin, context.last_year)
    since = f" с {format_date(start)}" if start else ""
    return Parsed(KIND_RECURRING, occurrences, word + since + suffix, needs_sorting=False, notes=notes)


# Every «ежемесячно» row of a roadmap expands to the same dozens of months: build them once.
@lru_cache(maxsize=256)
def _periodic_occurrences(
    step: int, label_suffix: str, begin: date, last_year: int
) -> tuple[Occurrence, ...]:
    """Each half-year (step 6), quarter (3) or month (1) from `begin` to the end of `last_year`."""
    occurrences = []
    for year in range(begin.year, last_year + 1):
        lengths = month_lengths(year)
        for first_month, last_month, name in _SUBDIVISIONS[step]:
            if (year, last_month) >= (begin.year, begin.month):
                due = date(year, last_month, lengths[last_month - 1])
                label = f"{name} {year}{label_suffix}"
                occurrences.append(Occurrence(date(year, first_month, 1), due, label))
    if occurrences:
        occurrences[0] = occurrences[0]._replace(start=begin)
    return tuple(occurrences)


def parse_yearly(anchor: list[Token], context: Context, suffix: str = "") -> Parsed:
    items = _split(anchor) or [[("Y", context.first_year)]]  # plain «ежегодно»: every whole year
    since = None
    starts = [item for item in items if _SERIES_START.fullmatch(signature(item))] if len(items) > 1 else []
    if len(starts) == 1:  # «ежегодно до 1 марта, начиная с 2026 года»: a start, not a year
        items.remove(starts[0])
        since = start_of(starts[0], _SERIES_START.fullmatch(signature(starts[0])), context)
    matches = [_YEARLY_ITEM.fullmatch(signature(item)) for item in items]
    if not all(matches):
        raise NotRecognised
    pairs = list(zip(items, matches, strict=True))
    stated = [_stated_year(item, match, "a") for item, match in pairs if match]
    first_year = min((year for year in stated if year is not None), default=context.first_year)
    if since:
        first_year = max(first_year, since.year)
    if first_year > context.last_year:
        context.flag_after_period(date(first_year, 1, 1))
    series, unit_phrases, date_phrases = [], [], []
    for item, match in pairs:
        assert match is not None
        first = item[match.start("a")]
        first = ("A", 1) if first[0] == "Y" else first  # «2020, далее ежегодно»: each whole year from 2020
        last = item[match.start("b")] if match["b"] else first
        if last[0] != first[0]:
            raise NotRecognised
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
    cadence = " ".join(["ежегодно", *([f"в {join(unit_phrases)}"] if unit_phrases else []), *date_phrases])
    if since:
        occurrences = tuple(o for o in occurrences if (o.start or o.due or since) >= since)
        cadence += (
            f" с {since.year} года" if (since.month, since.day) == (1, 1) else f" с {format_date(since)}"
        )
    return Parsed(KIND_RECURRING, occurrences, cadence + suffix, needs_sorting=False)


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
            if end_year > last_year or first_day > days_in(year, first_month):
                continue  # past the roadmap's end, or 29 февраля in a common year
            due = date(end_year, last_month, last_day or days_in(end_year, last_month))
            start = None if due_only else date(year, first_month, first_day)
            occurrences.append(Occurrence(start, due, label.format(year, end_year)))
    if len(series) > 1:  # several series interleave; one series is already in order
        return tuple(sorted(dict.fromkeys(occurrences), key=SORT_KEY))
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


def _parse_continuous(tokens: list[Token], context: Context) -> Parsed:
    cadence = next(value for code, value in tokens if code == "C")
    anchor = _anchor(tokens, "C>")
    if years := _YEARS.fullmatch(signature(anchor)):  # «в течение 2021 года»: only those years
        first_year = anchor[years.start("a")][1]
        last_year = anchor[years.start("b")][1] if years["b"] else first_year
        wanted = [_whole_year(year) for year in range(first_year, last_year + 1)]
        return Parsed(KIND_CONTINUOUS, within_period(wanted, context), "в течение года")
    codes = signature(anchor)
    if cadence == "в течение года" and anchor and codes[0] not in "sut":
        # «в течение второго полугодия 2026 года»: that span only, like a written range
        if match := _ONE.fullmatch(codes):
            token = anchor[match.start("a")]
            what = unit_genitive(*token) if token[0] in "MQH" else "указанного срока"
        elif _RANGE.fullmatch(codes):
            what = "указанного срока"
        else:
            raise NotRecognised
        return Parsed(KIND_CONTINUOUS, parse_explicit(anchor, context).occurrences, f"в течение {what}")
    start = anchor_start(anchor, context) if anchor else None
    if anchor and start is None:
        return Parsed(KIND_CONTINUOUS, [], cadence)
    if start and start > context.last_day:
        context.flag_after_period(start)
    begin = max(start, context.first_day) if start else context.first_day
    occurrences = years_from(begin, context.last_year)
    since = f" с {format_date(start)}" if start else ""
    return Parsed(KIND_CONTINUOUS, occurrences, cadence + since, needs_sorting=False)


@lru_cache(maxsize=256)  # like «ежемесячно», «постоянно» rows share their expansion
def years_from(begin: date, last_year: int) -> tuple[Occurrence, ...]:
    """Each calendar year from `begin` to the end of `last_year`, the first one starting on `begin`."""
    return tuple(
        Occurrence(max(date(year, 1, 1), begin), date(year, 12, 31), str(year))
        for year in range(begin.year, last_year + 1)
    )


def _parse_by_plan(tokens: list[Token], line: str, context: Context) -> Parsed:
    first_clause = _SINCE_RE.split(line.lower().replace("ё", "е").split(",")[0])[0]
    cadence = " ".join(first_clause.split())  # «по графику», «по мере разработки программ»
    if len(cadence) > 60:
        cadence = cadence[:59].rstrip() + "…"
    match = _PLAN_START.search(signature(tokens))
    start = start_of(tokens, match, context) if match else None
    if start and start > context.last_day:
        context.flag_after_period(start)
    if start and not context.first_day <= start <= context.last_day:
        start = None  # no start date inside the roadmap's period
    return Parsed(KIND_BY_PLAN, [Occurrence(start, None, UNDEFINED_DUE_LABEL)], cadence)


def _whole_year(year: int) -> Occurrence:
    return Occurrence(date(year, 1, 1), date(year, 12, 31), str(year))
