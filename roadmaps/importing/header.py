"""The table's header: its row (or rows: a merged «Срок исполнения» over «начало | окончание»), the
fields its columns hold, the row of column numbers under it, and its repeats on later pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import columns, errors
from .align import score
from .errors import ImportRefused
from .grid import Row
from .textutil import ROW_NUMBER, cell_class, normalise, one_line

_YEAR = re.compile(r"(?:19|20)\d\d")
_START = re.compile(r"^(?:начал|с\b|от\b|старт)", re.I)
_END = re.compile(r"^(?:оконч|заверш|конец|по\b|до\b)", re.I)
# Fields an unnamed column may turn out to be, judged by what its cells look like.
_GUESSABLE = ("number", "title", "deadline", "responsible", "result", "comment")


@dataclass
class Header:
    index: int
    taken: int
    texts: list[str]
    fields: list[str | None]
    # For a column under a merged parent header: its own sub-header («начало», «детей»), else "".
    labels: list[str] = field(default_factory=list)
    years: dict[int, int] = field(default_factory=dict)
    keys: list[list[str]] = field(default_factory=list)  # each header row as compared for repeats

    def is_repeat(self, cells: list[str]) -> bool:
        """The header printed again on the next page (or its sub-header row), or the column numbers."""
        return is_numbering(cells) or _key(cells) in self.keys


def _key(cells: list[str]) -> list[str]:
    key = [columns.normalise_header(c) for c in cells]
    while key and not key[-1]:
        key.pop()
    return key


def is_numbering(cells: list[str]) -> bool:
    """A row of column numbers under the header: 1 | 2 | 3 | 4 …"""
    filled = [c.strip().rstrip(".") for c in cells if c.strip()]
    if len(filled) < 3 or not all(c.isdigit() for c in filled):
        return False
    first = int(filled[0])
    return [int(c) for c in filled] == list(range(first, first + len(filled)))


def _is_subheader(top: list[str], sub: list[str], row: Row) -> bool:
    filled = [(j, c) for j, c in enumerate(sub) if c]
    if row.full_span or not filled or len(sub) > len(top) or is_numbering(sub):
        return False
    if any(len(c) > 60 or ROW_NUMBER.match(c) for _, c in filled):
        return False
    if len(filled) >= 2 and all(columns.recognise(c) for _, c in filled):
        return True
    # A merged parent header leaves empty cells beside it; its sub-headers fill them.
    under_merge = [j for j, _ in filled if not top[j]]
    return bool(under_merge) and all(cell_class(c) in ("text", "org", "date") for _, c in filled)


def _parent(top: list[str], index: int) -> str:
    for j in range(index, -1, -1):
        if top[j]:
            return top[j]
    return ""


def find_header(rows: list[Row]) -> Header:
    for index, row in enumerate(rows):
        if not columns.looks_like_header(row.cells):
            continue
        top = [one_line(normalise(c)) for c in row.cells]
        texts, labels, taken = list(top), [""] * len(top), 1
        keys = [_key(top)]
        if index + 1 < len(rows):
            sub = [one_line(normalise(c)) for c in rows[index + 1].cells]
            if _is_subheader(top, sub, rows[index + 1]):
                taken = 2
                keys.append(_key(sub))
                for j, text in enumerate(sub):
                    if not text:
                        continue
                    own = columns.recognise(text)
                    if own:  # a sub-header naming its own field («Цель и задачи», «2024»)
                        texts[j] = text
                    else:
                        texts[j] = f"{_parent(top, j)} {text}".strip()
                        labels[j] = text
        fields = _fields(texts, labels)
        years = {j: int(_YEAR.search(texts[j]).group(0)) for j, f in enumerate(fields) if f == "year"}
        return Header(index, taken, texts, fields, labels, years, keys)
    raise ImportRefused(errors.NO_TABLE)


def _fields(texts: list[str], labels: list[str]) -> list[str | None]:
    """Like ``columns.recognise_row``, but sub-columns of one merged header may share a field."""
    fields = columns.recognise_row(texts)
    for j, text in enumerate(texts):
        if fields[j] is None and labels[j]:
            fields[j] = columns.recognise(text)
    return fields


def combine_labelled(name: str, parts: list[tuple[str, str]]) -> str:
    """Values of sub-columns of one field: «начало | окончание» of a deadline make a range, others
    are written with their sub-header («детей: 120»)."""
    if name == "deadline" and len(parts) == 2 and _START.match(parts[0][0]) and _END.match(parts[1][0]):
        return f"{parts[0][1]} - {parts[1][1]}"
    return "\n".join(f"{label}: {text}" for label, text in parts)


def guess_unnamed(header: Header, data: list[list[str]]) -> list[tuple[int, str]]:
    """Columns with no header text but with content get the field their cells fit best (among fields
    the header lacks); returns (column, field) for each guess."""
    guesses: list[tuple[int, str]] = []
    present = set(f for f in header.fields if f)
    for j, text in enumerate(header.texts):
        if text or header.fields[j]:
            continue
        cells = [row[j] for row in data if j < len(row) and row[j].strip()]
        if not cells:
            continue
        classes = [cell_class(c) for c in cells]
        candidates = [f for f in _GUESSABLE if f not in present]
        if not candidates:
            continue
        best = max(candidates, key=lambda f: sum(score(f, c) for c in classes))
        if sum(score(best, c) for c in classes) > 0:
            header.fields[j] = best
            present.add(best)
            guesses.append((j, best))
    return guesses
