"""Excel workbooks, read with openpyxl in read-only mode. Merged ranges are read from the sheet XML
(read-only sheets do not expose them): a merged value appears once, in its top-left cell; a range
spanning the whole used width of a row marks a heading."""

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

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")


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


def _merged(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return []
    ranges = []
    for ref in _MERGE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    rows = []
    for index, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [_text(v) for v in values]
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append((index, cells))
    return rows


def read_xlsx(data: bytes, archive: zipfile.ZipFile) -> Grid:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportRefused(errors.CORRUPT) from None
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            rows = _sheet_rows(sheet)
            found = (i for i, (_, cells) in enumerate(rows) if columns.looks_like_header(cells))
            header_at = next(found, None)
            if header_at is None:
                continue
            width = max(len(cells) for _, cells in rows)
            full_rows = set()
            for min_col, min_row, max_col, _ in _merged(archive, getattr(sheet, "_worksheet_path", "")):
                if min_col == 1 and max_col >= width:
                    full_rows.add(min_row)
            preamble: list[str] = []
            for _, cells in rows[:header_at]:
                preamble.extend("\n".join(c for c in cells if c.strip()).split("\n"))
            grid_rows = [
                Row(cells + [""] * (width - len(cells)), number, number in full_rows)
                for number, cells in rows[header_at:]
            ]
            return Grid(rows=grid_rows, preamble=preamble, source_format="xlsx")
    finally:
        workbook.close()
    raise ImportRefused(errors.NO_TABLE)
