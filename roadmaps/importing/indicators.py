"""Yearly indicator targets: per-year sub-rows under an activity («Не менее 30 % …» / 2019,
«Не менее 45 % …» / 2020 …), and the writers' own «Целевые значения показателей» column."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .parsed import ParsedIndicator

_YEAR_CELL = re.compile(r"^((?:19|20)\d\d)(?:\s*(?:год|г\.?))?$", re.I)
_ENUMERATION = re.compile(r"^\d{1,2}[.)]\s+")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_COUNT = re.compile(r"(\d[\d\u00a0 ]*(?:[.,]\d+)?)\s*([а-яё]+\.?)?", re.I)
_WRITTEN = re.compile(r"^(.*)\s\[([^\[\]]*)\]:\s*(.+)$")
_TARGET = re.compile(r"((?:19|20)\d\d)\s*[—–-]\s*(-?\d+(?:[.,]\d+)?)")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[\s\u00a0]", "", text).replace(",", "."))
    except InvalidOperation:
        return None


def _value(text: str) -> tuple[Decimal, str, re.Match] | None:
    body = _ENUMERATION.sub("", text)
    offset = len(text) - len(body)
    match = _PERCENT.search(body)
    if match:
        value, unit = _decimal(match.group(1)), "%"
    else:
        match = _COUNT.search(body)
        if not match:
            return None
        value, unit = _decimal(match.group(1)), (match.group(2) or "")
    if value is None:
        return None
    return value, unit, (match, offset)


def from_subrows(titles: list[str], deadlines: list[str]) -> ParsedIndicator | None:
    """An indicator when every row (the activity's and its sub-rows) has a single year as its
    deadline and a number in its text; None otherwise."""
    if len(titles) < 2 or len(titles) != len(deadlines):
        return None
    targets: dict[int, Decimal] = {}
    unit = ""
    for index, (title, deadline) in enumerate(zip(titles, deadlines, strict=False)):
        year = _YEAR_CELL.match(deadline.strip())
        found = _value(title) if title else None
        if not year or not found or int(year.group(1)) in targets:
            return None
        targets[int(year.group(1))] = found[0]
        if index == 0:
            unit = found[1]
            match, offset = found[2]
            first = titles[0]
            name = first[: offset + match.start(1)] + "N" + first[offset + match.end(1) :]
            name = _ENUMERATION.sub("", name)
    return ParsedIndicator(name=" ".join(name.split()), unit=unit, targets=targets)


def decimal_comma(value: Decimal) -> str:
    """55.5 → «55,5»: the Russian decimal separator (the readers take either)."""
    return str(value).replace(".", ",")


def format_indicator(indicator: ParsedIndicator) -> str:
    values = "; ".join(
        f"{year} — {decimal_comma(value)}" for year, value in sorted(indicator.targets.items())
    )
    return f"{indicator.name} [{indicator.unit}]: {values}"


def parse_written(text: str) -> list[ParsedIndicator]:
    result: list[ParsedIndicator] = []
    for line in text.split("\n"):
        match = _WRITTEN.match(line.strip())
        if not match:
            continue
        targets = {}
        for year, value in _TARGET.findall(match.group(3)):
            number = _decimal(value)
            if number is not None:
                targets[int(year)] = number
        name, unit = match.group(1).strip(), match.group(2).strip()
        result.append(ParsedIndicator(name=name, unit=unit, targets=targets))
    return result


_PLAIN_VALUE = re.compile(r"^[^\d-]{0,12}?(-?\d[\d\u00a0 ]*(?:[.,]\d+)?)\s*(%?)")


def target_value(text: str) -> tuple[Decimal, str] | None:
    """A yearly target cell: «30», «30 %», «не менее 45%», «1 200» → (value, «%» or «»)."""
    match = _PLAIN_VALUE.match(text.strip())
    if not match:
        return None
    value = _decimal(match.group(1))
    return (value, match.group(2)) if value is not None else None


def from_year_columns(name: str, unit: str, cells: dict[int, str]) -> ParsedIndicator | None:
    """An indicator from a row's year columns ({2024: «30 %», 2025: «45 %»}); None without numbers."""
    targets: dict[int, Decimal] = {}
    for year, text in sorted(cells.items()):
        found = target_value(text)
        if found:
            targets[year] = found[0]
            if not unit and found[1]:
                unit = found[1]
    if not targets or not name:
        return None
    return ParsedIndicator(name=" ".join(name.split()), unit=unit, targets=targets)
