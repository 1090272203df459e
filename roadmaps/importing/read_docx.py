"""Word documents: paragraphs before the activities table are the preamble; the table's rows become
grid rows. A merged cell appears once: a horizontally merged cell is followed by empty cells for the
columns it spans, a vertically merged cell is empty in the rows it continues into."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from . import errors
from .errors import ImportRefused
from .grid import Grid, Row
from .limits import RowCounter
from .tables import best_table, skipped_note


def _paragraph_lines(element) -> list[str]:
    from docx.text.paragraph import Paragraph

    text = Paragraph(element, None).text
    return text.split("\n") if text.strip() else [""]


def _table_rows(table: Table, counter: RowCounter) -> list[tuple[list[str], bool]]:
    width = len(table._tbl.tblGrid.gridCol_lst) if table._tbl.tblGrid is not None else 0
    rows = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = [""] * tr.grid_before
        spans = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
            cells.append(text)
            cells.extend([""] * (span - 1))
            spans += 1
        counter.take(cells)
        full = spans == 1 and len(cells) >= max(width, 2) and cells[0].strip() != ""
        width = max(width, len(cells))
        rows.append((cells, full))
    return [(cells + [""] * (width - len(cells)), full) for cells, full in rows]


def _blocks(body) -> list[tuple[str, object]]:
    """Paragraphs and tables of the body in order; content controls (``w:sdt``) are looked into."""
    blocks: list[tuple[str, object]] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(("p", child))
        elif child.tag == qn("w:tbl"):
            blocks.append(("tbl", child))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                blocks.extend(_blocks(content))
    return blocks


def read_docx(data: bytes, counter: RowCounter | None = None) -> Grid:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused(errors.CORRUPT) from None
    except Exception:  # malformed XML inside the package
        raise ImportRefused(errors.CORRUPT) from None
    counter = counter or RowCounter()
    blocks = _blocks(document.element.body)
    for kind, element in blocks:
        if kind == "tbl":
            counter.expect(len(element.tr_lst))
    tables = [
        (i, _table_rows(Table(element, document), counter))
        for i, (kind, element) in enumerate(blocks)
        if kind == "tbl"
    ]
    chosen_at = best_table([[cells for cells, _ in rows] for _, rows in tables])
    if chosen_at is None:
        raise ImportRefused(errors.NO_TABLE)
    first_block, first_rows = tables[chosen_at]
    width = len(first_rows[0][0]) if first_rows else 0
    # A table broken across pages continues in tables of the same width with only paragraphs between.
    parts = [first_rows]
    last = chosen_at
    for position in range(chosen_at + 1, len(tables)):
        block, rows = tables[position]
        between = blocks[tables[position - 1][0] + 1 : block]
        if any(_paragraph_lines(el) != [""] for _, el in between) or not rows or len(rows[0][0]) != width:
            break
        parts.append(rows)
        last = position
    preamble: list[str] = []
    notes: list[str] = []
    for index, (kind, element) in enumerate(blocks[:first_block]):
        if kind == "p":
            preamble.extend(_paragraph_lines(element))
            continue
        position = next(n for n, (block, _) in enumerate(tables) if block == index)
        rows = [cells for cells, _ in tables[position][1]]
        notes.append(skipped_note(position + 1, rows, "перед основной"))
        preamble.append("")  # an approval block: its text may name the approving act
        for cells in rows:
            preamble.extend(c.strip() for c in cells if c.strip())
        preamble.append("")
    for position in range(last + 1, len(tables)):
        rows = [cells for cells, _ in tables[position][1]]
        notes.append(skipped_note(position + 1, rows, "после основной"))
    chosen: list[Row] = []
    for rows in parts:
        start = len(chosen)
        chosen.extend(Row(cells, start + i + 1, full) for i, (cells, full) in enumerate(rows))
    return Grid(rows=chosen, preamble=preamble, source_format="docx", notes=notes)
