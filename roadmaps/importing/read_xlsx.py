"""Excel workbooks, read with openpyxl in read-only mode. Merged ranges are read from the sheet XML
(read-only sheets do not expose them): a merged value appears once, in its top-left cell; a range
spanning the whole used width of a row marks a heading. Real dates are written ДД.ММ.ГГГГ, whole
numbers without «.0»."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from . import columns, errors
from .errors import ImportRefused
from .grid import Grid, Row
from .limits import RowCounter
from .tables import best_table

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_MIN = re.compile(rb"\bmin=\"(\d+)\"")
_MAX = re.compile(rb"\bmax=\"(\d+)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_xml(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        return archive.read(path.lstrip("/"))
    except KeyError:
        return b""


def _merged(xml: bytes) -> list[tuple[int, int, int, int]]:
    return [range_boundaries(ref.decode()) for ref in _MERGE.findall(xml)]


def _hidden_columns(xml: bytes) -> set[int]:
    """1-based indexes of hidden columns (read-only sheets do not expose column widths)."""
    hidden: set[int] = set()
    for attributes in _COL.findall(xml):
        if not _HIDDEN.search(attributes):
            continue
        low, high = _MIN.search(attributes), _MAX.search(attributes)
        if low and high:
            hidden.update(range(int(low.group(1)), int(high.group(1)) + 1))
    return hidden


def _sheet_rows(sheet, hidden: set[int], counter: RowCounter) -> list[tuple[int, list[str]]]:
    rows = []
    for index, values in enumerate(sheet.iter_rows(values_only=True), 1):
        counter.take(values)
        cells = [_text(v) for column, v in enumerate(values, 1) if column not in hidden]
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append((index, cells))
    return rows


def _grid(rows: list[tuple[int, list[str]]], xml: bytes, hidden: set[int]) -> Grid:
    header_at = next(i for i, (_, cells) in enumerate(rows) if columns.looks_like_header(cells))
    width = max(len(cells) for _, cells in rows)
    first_visible = next(c for c in range(1, 10_000) if c not in hidden)
    visible = [c for c in range(1, width + len(hidden) + 1) if c not in hidden][:width]
    last_visible = visible[-1] if visible else first_visible
    full_rows = {
        min_row
        for min_col, min_row, max_col, _ in _merged(xml)
        if min_col <= first_visible and max_col >= last_visible
    }
    preamble: list[str] = []
    for _, cells in rows[:header_at]:
        preamble.extend("\n".join(c for c in cells if c.strip()).split("\n"))
    grid_rows = [
        Row(cells + [""] * (width - len(cells)), number, number in full_rows)
        for number, cells in rows[header_at:]
    ]
    return Grid(rows=grid_rows, preamble=preamble, source_format="xlsx")


def read_xlsx(data: bytes, archive: zipfile.ZipFile, counter: RowCounter | None = None) -> Grid:
    """The sheet holding the roadmap table (an instructions sheet beside it is skipped); hidden
    columns are left out. ``counter`` sees every row as it is read (the limits stop a huge sheet early)."""
    counter = counter or RowCounter()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportRefused(errors.CORRUPT) from None
    sheets = []
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            xml = _sheet_xml(archive, getattr(sheet, "_worksheet_path", ""))
            hidden = _hidden_columns(xml)
            # Workbooks written by scripts often omit the declared size: count the row elements instead.
            counter.expect(sheet.max_row or len(_ROW.findall(xml)))
            sheets.append((sheet.title, _sheet_rows(sheet, hidden, counter), xml, hidden))
    finally:
        workbook.close()
    chosen = best_table([[cells for _, cells in rows] for _, rows, _, _ in sheets])
    if chosen is None:
        raise ImportRefused(errors.NO_TABLE)
    title, rows, xml, hidden = sheets[chosen]
    grid = _grid(rows, xml, hidden)
    for position, (other, other_rows, _, _) in enumerate(sheets):
        if position != chosen and any(cells for _, cells in other_rows):
            grid.notes.append(f"Лист «{other}» не похож на таблицу мероприятий и пропущен.")
    if hidden:
        grid.notes.append(f"Скрытые столбцы листа «{title}» пропущены: {len(hidden)}.")
    return grid
