"""Headings of any depth: Подпрограмма → Цель → Задача, Раздел → Направление → подраздел…

A heading's level comes from its kind — its keyword («Раздел 2», «Задача 1.1»), its numbering
(«II.», «2.», «2.1.») or none — read as a stack: a kind not seen yet goes one level deeper, a kind
already on the stack closes everything below it and takes its place. Unnumbered headings have no
kind to tell them apart, so a run of them with no activity between is read as nested: each is the
group of the next (the way plans print «group heading» over «section heading»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parsed import ParsedActivity, ParsedHeading, ParsedSection

_KEYWORD = re.compile(
    r"^(подпрограмм|подраздел|раздел|глав|част|цел|задач|направлени|блок|модул|этап|приоритет)[а-яё]*"
    r"\s*(?:№\s*)?(?=[IVXLC]+\b|\d|:)",
    re.I,
)
_HEADING = [
    re.compile(
        r"^(?:подпрограмма|подраздел|раздел|глава|часть|цель|задача|направление|блок|модуль|этап)"
        r"\s*(?:№\s*)?([IVXLC]+|\d+(?:\.\d+)*)\.?\s*[:.]?\s*(.*)$",
        re.I,
    ),
    re.compile(r"^([IVXLC]+)\.?\s+(.*)$"),
    re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.\s*(\D.*)$"),
    re.compile(r"^([А-Я])[.)]\s+(.*)$"),
]


def split_heading(text: str) -> tuple[str, str]:
    """«Раздел I. Организационная деятельность» → («I», «Организационная деятельность»)."""
    for pattern in _HEADING:
        match = pattern.match(text)
        if match and match.group(2).strip():
            return match.group(1), match.group(2).strip()
    return "", text


def heading_kind(text: str) -> str:
    keyword = _KEYWORD.match(text)
    if keyword:
        return "keyword:" + keyword.group(1).lower()
    number, _ = split_heading(text)
    if not number:
        return "plain"
    if re.fullmatch(r"[IVXLC]+", number):
        return "roman"
    if number.isalpha():
        return "letter"
    return f"arabic:{number.count('.') + 1}"


@dataclass
class Heading:
    text: str
    source_row: int = 0


def assemble(events: list[Heading | ParsedActivity]) -> list[ParsedSection]:
    """Sections with their ancestors from headings and activities in document order. A heading that
    only groups others appears as an ancestor; one with activities, or with neither activities nor
    sub-headings, is a section."""
    kinds = _kinds(events)
    stack: list[tuple[str, ParsedHeading, ParsedSection]] = []
    sections: list[ParsedSection] = []
    has_children: set[int] = set()
    current: ParsedSection | None = None
    for index, event in enumerate(events):
        if isinstance(event, ParsedActivity):
            if current is None:
                current = ParsedSection(title="")
                sections.append(current)
            current.activities.append(event)
            continue
        kind = kinds[index]
        depth = next((i for i, (k, _, _) in enumerate(stack) if k == kind), len(stack))
        del stack[depth:]
        if stack:
            has_children.add(id(stack[-1][2]))
        number, title = split_heading(event.text)
        heading = ParsedHeading(text=event.text, number=number, title=title)
        current = ParsedSection(title=title, number=number, ancestors=[h for _, h, _ in stack])
        stack.append((kind, heading, current))
        sections.append(current)
    return [s for s in sections if s.activities or id(s) not in has_children]


def _kinds(events: list[Heading | ParsedActivity]) -> dict[int, str]:
    """Kinds of all headings; an unnumbered heading gets the count of unnumbered headings that follow
    it before the next activity («plain^2», «plain^1», «plain»), so runs nest."""
    kinds: dict[int, str] = {}
    plain_after = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ParsedActivity):
            plain_after = 0
            continue
        kind = heading_kind(event.text)
        if kind == "plain":
            kinds[index] = f"plain^{plain_after}" if plain_after else "plain"
            plain_after += 1
        else:
            kinds[index] = kind
    return kinds
