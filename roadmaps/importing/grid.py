"""What every reader produces: rows of cell strings with their source row numbers, and the preamble
(the lines before the table; an empty string marks a paragraph break)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    cells: list[str]
    source_row: int
    full_span: bool = False  # one cell merged across the whole row (a heading)


@dataclass
class Grid:
    rows: list[Row] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    source_format: str = ""
    # What the reader skipped on the way (other tables, hidden columns, other sheets), for the warnings.
    notes: list[str] = field(default_factory=list)
