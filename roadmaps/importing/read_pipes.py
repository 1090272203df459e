"""Text tables drawn with «|»: Markdown pipe tables (``| a | b |`` with a ``|---|`` row) and tables
pasted from legal databases, where each cell is on its own line and cells are separated by a lone
«|» line or end in « |». Several Markdown tables in one text are candidates, the roadmap is chosen
by score (see ``tables``)."""

from __future__ import annotations

import re

from . import columns
from .grid import Grid, Row
from .tables import best_table, skipped_note
from .textutil import ROW_NUMBER

_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LONE = re.compile(r"^\s*\|\s*$")
_TRAILING = re.compile(r"\s\|\s*$")


def is_markdown(lines: list[str]) -> bool:
    return any(_MD_RULE.match(line) and "|" in line for line in lines) and (
        sum(1 for line in lines if _MD_ROW.match(line)) >= 2
    )


def is_legal_pipes(lines: list[str]) -> bool:
    lone = sum(1 for line in lines if _LONE.match(line))
    trailing = sum(1 for line in lines if _TRAILING.search(line) and not _MD_ROW.match(line))
    return lone >= 3 or trailing >= 3


def _md_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [c.replace("\\|", "|").strip().replace("**", "") for c in cells]


def markdown_grid(lines: list[str]) -> Grid:
    tables: list[list[Row]] = []
    starts: list[int] = []
    current: list[Row] | None = None
    for number, line in enumerate(lines, 1):
        if _MD_ROW.match(line):
            if current is None:
                current = []
                tables.append(current)
                starts.append(number)
            if not _MD_RULE.match(line):
                cells = _md_cells(line)
                filled = [c for c in cells if c]
                current.append(Row(cells, number, full_span=len(filled) == 1 and len(cells) > 2))
        else:
            current = None
    chosen = best_table([[row.cells for row in table] for table in tables])
    if chosen is None:
        return Grid(rows=[Row([line], n) for n, line in enumerate(lines, 1)], source_format="text")
    preamble = [line for line in lines[: starts[chosen] - 1] if not _MD_ROW.match(line)]
    preamble = [line.lstrip("#").strip() for line in preamble]
    notes = [
        skipped_note(i + 1, [row.cells for row in table], _where(i, chosen))
        for i, table in enumerate(tables)
        if i != chosen
    ]
    return Grid(rows=tables[chosen], preamble=preamble, source_format="text", notes=notes)


def _where(index: int, chosen: int) -> str:
    return "перед основной" if index < chosen else "после основной"


def legal_pipes_grid(lines: list[str]) -> Grid:
    """Cells separated by «|» (on a line of its own or ending a cell's line). A line that follows a
    cell without a separator continues that cell when it starts in lower case or the row still lacks
    cells; otherwise it starts a new row. A row of one cell is a heading (or a preamble line)."""
    rows: list[Row] = []
    cells: list[str] = []
    open_cell: str | None = None
    start = 0
    width: int | None = None
    separated = False  # the current row has a separator in it

    def finish() -> None:
        nonlocal cells, open_cell, separated, width
        if open_cell is not None:
            cells.append(open_cell)
        elif separated:
            cells.append("")  # the row ended with a separator: its last cell is empty
        if cells:
            rows.append(Row(cells, start, full_span=len(cells) == 1))
            if width is None and columns.looks_like_header(cells):
                width = len(cells)
        cells, open_cell, separated = [], None, False

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if _LONE.match(line):
            cells.append(open_cell or "")
            open_cell, separated = None, True
            continue
        ends_cell = bool(_TRAILING.search(line)) or line.endswith("|")
        text = line.rstrip("|").strip()
        numbered = bool(ROW_NUMBER.match(text)) and len(cells) >= 2
        if open_cell is not None:
            so_far = [*cells, open_cell]
            complete = len(so_far) >= width if width else columns.looks_like_header(so_far)
            if not numbered and (text[:1].islower() or (separated and not complete)):
                open_cell += "\n" + text
            else:
                finish()
                open_cell, start = text, number
        elif numbered or (separated and width is not None and len(cells) >= width):
            finish()
            open_cell, start = text, number
        else:
            if not cells:
                start = number
            open_cell = text
        if ends_cell:
            cells.append(open_cell)
            open_cell, separated = None, True
    finish()
    header_at = next((i for i, row in enumerate(rows) if columns.looks_like_header(row.cells)), None)
    if header_at is None:
        return Grid(rows=rows, source_format="text")
    preamble: list[str] = []
    for row in rows[:header_at]:
        preamble.extend([line for cell in row.cells for line in cell.split("\n")] + [""])
    return Grid(rows=rows[header_at:], preamble=preamble, source_format="text")
