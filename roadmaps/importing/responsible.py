"""Splitting a «responsible» cell into organisations.

Split first by line breaks and semicolons, then at sentence ends («…образования». Ответственные…),
then by commas outside brackets and quotes — but a comma piece that is the tail of a name
(«…, реализующие программы…», «…, спорта и вопросам молодёжи») is put back. «(по согласованию)»
sets ``by_agreement``; a named person («Иванова Е.В., консультант», «– директор Петров И.И.») goes
to ``person``. Matching to organisations in the database happens elsewhere.
"""

from __future__ import annotations

import re

from .parsed import ParsedActivity, ParsedResponsible
from .textutil import clean_line

_AGREEMENT = re.compile(r"\(\s*по\s+согласованию\s*\)", re.I)
_INITIALS = r"[А-ЯЁ]\.\s?[А-ЯЁ]\."
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_POSITION = (
    r"(?:заместитель|главный|ведущий|старший)\s+\w+|директор|начальник|руководитель|консультант|"
    r"специалист|методист|председатель|заведующ\w+|министр|координатор|куратор|ректор|инспектор"
)
_PERSON_FIRST = re.compile(
    r"^(" + _SURNAME + r"\s+" + _INITIALS + r"|" + _INITIALS + r"\s?" + _SURNAME + r")"
    r"(?:\s*,\s*(" + _POSITION + r"))?\s*,?\s*",
    re.I,
)
_PERSON_DASH = re.compile(
    r"\s+[–—-]\s+((?:"
    + _POSITION
    + r")\b.*|"
    + _SURNAME
    + r"\s+"
    + _INITIALS
    + r".*|"
    + _INITIALS
    + r"\s?"
    + _SURNAME
    + r".*)$"
)
_NAMED = _SURNAME + r"\s+" + _INITIALS + r"|" + _INITIALS + r"\s?" + _SURNAME
_PERSON_LAST = re.compile(r",?\s+(" + _NAMED + r")$")
_ONLY_PERSON = re.compile(r"^(?:" + _NAMED + r")$")
_SENTENCE = re.compile(r"(?<=[»\")])\.\s+(?=[А-ЯЁA-Z])|(?<=[а-яё]{4})\.\s+(?=[А-ЯЁ])|\s\.\s*(?=[А-ЯЁ])")
_ORGISH = re.compile(
    r"организац|учрежден|отдел|управлени|департамент|министерств|комитет|центр|школ|администрац|"
    r"орган|служб|институт|колледж|университет|совет|специалист|эксперт|координатор|библиотек|"
    r"музе|дом\b|дворец|клуб|мцк|гимнази|лице|сад|станци|объединени",
    re.I,
)
_PARTICIPLE = re.compile(r"^[а-яё]+(?:ющ|ящ|ащ|вш|ем|им)(?:ие|ий|ая|ее|их|ый|ые)\b")


def _split_outside(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    quote = 0
    current = ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == "«":
            quote += 1
        elif char == "»" and quote:
            quote -= 1
        if char == separator and not depth and not quote:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _comma_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in (p.strip() for p in _split_outside(text, ",")):
        if not piece:
            continue
        tail = piece[0].islower() and (not _ORGISH.search(piece) or _PARTICIPLE.match(piece))
        if pieces and (tail or len(piece) < 2):
            pieces[-1] = pieces[-1] + ", " + piece
        else:
            pieces.append(piece)
    return pieces


def _clean_name(name: str, keep_dot: bool = False) -> str:
    name = clean_line(name.replace("_", " "))
    name = re.sub(r"\s+([.,;»)])", r"\1", name)
    name = name.strip(" ,;:-–—" if keep_dot else " .,;:-–—")
    return name.lstrip(".")


def _one(piece: str, person: str) -> ParsedResponsible | None:
    agreement = bool(_AGREEMENT.search(piece))
    name = _AGREEMENT.sub(" ", piece)
    dash = _PERSON_DASH.search(name)
    if dash and not person:
        person, name = dash.group(1), name[: dash.start()]
    last = _PERSON_LAST.search(name)
    if last and not person and last.start() > 0:
        person, name = last.group(1), name[: last.start()]
    name = _clean_name(name)
    if not name and not person:
        return None
    return ParsedResponsible(name=name, by_agreement=agreement, person=_clean_name(person, keep_dot=True))


def split_responsible(text: str) -> list[ParsedResponsible]:
    result: list[ParsedResponsible] = []
    seen: set[tuple[str, str]] = set()
    lines = [line for part in text.split("\n") for line in _split_outside(part, ";")]
    for line in lines:
        line = clean_line(line).strip(" ,").lstrip(".")
        if not line:
            continue
        person = ""
        first = _PERSON_FIRST.match(line)
        if first:
            person = first.group(1) + (", " + first.group(2) if first.group(2) else "")
            line = line[first.end() :]
        sentences = [s for s in _SENTENCE.split(line) if s and s.strip()]
        for sentence in sentences:
            for piece in _comma_pieces(sentence):
                item = _one(piece, person)
                person = ""
                if item and _ONLY_PERSON.match(item.name) and result and not result[-1].person:
                    result[-1].person = _clean_name(piece, keep_dot=True)
                elif item and (item.name, item.person) not in seen:
                    seen.add((item.name, item.person))
                    result.append(item)
        if person:
            result.append(ParsedResponsible(name="", person=_clean_name(person, keep_dot=True)))
    return result


def responsible_as_written(activity: ParsedActivity) -> str:
    """The responsible cell as the portal writes it back: the document's own text, or the parsed
    organisations one a line («лицо, организация (по согласованию)»)."""
    if activity.responsible_text or not activity.responsible:
        return activity.responsible_text

    def one(item: ParsedResponsible) -> str:
        text = f"{item.person}, {item.name}" if item.person else item.name
        return text + (" (по согласованию)" if item.by_agreement else "")

    return "\n".join(one(item) for item in activity.responsible)
