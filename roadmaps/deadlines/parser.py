"""`parse_deadline`: clean a deadline cell, split it into lines and hand each form to its parser."""

import re
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache

from roadmaps.deadlines.base import (
    KIND_BY_EVENT,
    KIND_DATE,
    KIND_DATES,
    KIND_UNPARSED,
    SORT_KEY,
    Context,
    NotRecognised,
    Occurrence,
    Parsed,
    Schedule,
    days_in,
    format_date,
)
from roadmaps.deadlines.grammar import parse_clause, parse_explicit, signature, tokenize
from roadmaps.deadlines.phrases import parse_phrase

_WRITTEN_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_TAG_RE = re.compile(r"<[^>]*>")
_PARENTHESES_RE = re.compile(r"\(([^()]*)(?:\)|$)")  # an unclosed remark runs to the end
_INLINE_REMARK_RE = re.compile(
    r"\s*(?:далее\s*-?\s*)?(?:ежегод|ежекварт|ежемесяч|еженедел|постоян)[а-я]*\s*", re.IGNORECASE
)
_MONTH_WORD = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
# «2 раза в год (апрель, октябрь)», «ежегодно (апрель)»: the months are the series itself, not a remark
_MONTH_LIST_RE = re.compile(rf"\s*{_MONTH_WORD}(?:\s*(?:,|;|и|-)\s*{_MONTH_WORD})*\s*", re.IGNORECASE)
_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "‑": "-", "\u00a0": " ", "\r": ""})
_NEEDS_CLEANING_RE = re.compile("[<(–—‒−‑\u00a0\r]")


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
    context = Context(first_year, last_year)
    parsed = _parse_lines(lines, context) if lines else None
    if parsed is None:
        problem = "Срок не указан: укажите дату вручную."
        if shown := " ".join(text.split()):
            problem = f"Не удалось разобрать срок: «{shown}». Укажите дату вручную."
        return Schedule(text=text, kind=KIND_UNPARSED, problems=(problem,), notes=notes)
    occurrences = parsed.occurrences
    if (
        not occurrences and not context.problems and parsed.kind != KIND_BY_EVENT
    ):  # e.g. «октябрь - март ежегодно» in a one-year plan
        context.flag(
            f"Ни один срок не попадает в период дорожной карты {first_year}–{last_year}: проверьте срок."
        )
    if parsed.needs_sorting and len(occurrences) > 1:
        occurrences = sorted(dict.fromkeys(occurrences), key=SORT_KEY)
    return Schedule(
        text, parsed.kind, tuple(occurrences), tuple(context.problems), notes + parsed.notes, parsed.cadence
    )


def _split_notes(text: str) -> tuple[str, tuple[str, ...]]:
    notes: list[str] = []

    def take_note(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _INLINE_REMARK_RE.fullmatch(inner) or _MONTH_LIST_RE.fullmatch(inner):
            return f" {inner} "  # «с 01.09.2020 (ежегодно)»: the remark is the recurrence itself
        if note := " ".join(inner.split()):
            notes.append(note)
        return " "

    return _PARENTHESES_RE.sub(take_note, text), tuple(notes)


def _lines(body: str) -> list[str]:
    if "\n" not in body:  # most cells hold one line
        return [line] if (line := body.strip()) else []
    return [line for line in (raw.strip() for raw in body.split("\n")) if line]


def _parse_lines(lines: list[str], context: Context) -> Parsed | None:
    if len(lines) == 1 and (occurrence := _written_date(lines[0], context)):
        return Parsed(KIND_DATE, [occurrence])
    if len(lines) > 1:
        list_context = Context(context.first_year, context.last_year)
        if parsed := _parse_one_per_line(lines, list_context):
            context.problems = list_context.problems
            return parsed
    joined = " ".join(lines)  # a wording wrapped over several lines: «С 13.01. по\n28.01.2020»
    try:
        tokens = tokenize(joined)
        # Every rule wording has a word the token grammar does not know («числа», «раз», «учебного»).
        codes = signature(tokens)
        if "?" in codes and (phrase := parse_phrase(joined, tokens, context)):
            return phrase
        return parse_clause(tokens, joined, context, codes)
    except NotRecognised:
        return None


def _parse_one_per_line(lines: list[str], context: Context) -> Parsed | None:
    """A cell with one date (or range) per line, e.g. the same day in each year of the roadmap."""
    occurrences: list[Occurrence] = []
    remarks: list[str] = []
    for line in lines:
        if occurrence := _written_date(line, context):
            occurrences.append(occurrence)
            continue
        tokens = tokenize(line)
        if [code for code, _ in tokens] == ["C"]:
            remarks.append(line)  # «В течение года» under the list: a remark on the dates above it
            continue
        try:
            occurrences += parse_explicit(tokens, context).occurrences
        except NotRecognised:
            return None
    if len(remarks) == len(lines):
        return None
    return Parsed(KIND_DATES, occurrences, notes=tuple(remarks))


def _written_date(line: str, context: Context) -> Occurrence | None:
    """The commonest deadline, a line that is just a valid ДД.ММ.ГГГГ inside the period, without tokenizing.

    None sends the line to the general parser, which also explains what is wrong with it."""
    if not (match := _WRITTEN_DATE_RE.fullmatch(line)):
        return None
    day, month, year = map(int, match.groups())
    if not context.first_year <= year <= context.last_year or not 1 <= month <= 12:
        return None
    if not 1 <= day <= days_in(year, month):
        return None
    moment = date(year, month, day)
    return Occurrence(moment, moment, format_date(moment))
