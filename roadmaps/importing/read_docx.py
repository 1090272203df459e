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

from . import columns, errors
from .errors import ImportRefused
from .grid import Grid, Row


def _paragraph_lines(element) -> list[str]:
    from docx.text.paragraph import Paragraph

    text = Paragraph(element, None).text
    return text.split("\n") if text.strip() else [""]


def _table_rows(table: Table) -> list[tuple[list[str], bool]]:
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
        full = spans == 1 and len(cells) >= max(width, 2) and cells[0].strip() != ""
        width = max(width, len(cells))
        rows.append((cells, full))
    return [(cells + [""] * (width - len(cells)), full) for cells, full in rows]


def read_docx(data: bytes) -> Grid:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused(errors.CORRUPT) from None
    except Exception:  # malformed XML inside the package
        raise ImportRefused(errors.CORRUPT) from None
    body = document.element.body
    preamble: list[str] = []
    chosen: list[Row] = []
    width = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            if not chosen:
                preamble.extend(_paragraph_lines(child))
            continue
        if child.tag != qn("w:tbl"):
            continue
        rows = _table_rows(Table(child, document))
        if not chosen:
            if not any(columns.looks_like_header(cells) for cells, _ in rows):
                for cells, _ in rows:  # a small table before the activities (an approval block)
                    preamble.append(" ".join(c.strip() for c in cells if c.strip()))
                continue
            width = len(rows[0][0]) if rows else 0
        elif rows and len(rows[0][0]) != width:
            break  # another kind of table after the activities
        start = len(chosen)
        chosen.extend(Row(cells, start + i + 1, full) for i, (cells, full) in enumerate(rows))
    if not chosen:
        raise ImportRefused(errors.NO_TABLE)
    return Grid(rows=chosen, preamble=preamble, source_format="docx")
