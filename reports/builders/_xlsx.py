"""Small openpyxl helpers shared by the Excel builders."""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# Excel and other spreadsheet programs evaluate text that starts with these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FONT = Font(name="Times New Roman", bold=True, size=10)
BODY_FONT = Font(name="Times New Roman", size=10)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str) -> str:
    """Strip characters XML 1.0 cannot hold (openpyxl would refuse the whole file for one of them)."""
    return _CONTROL.sub("", value)


class CellFactory:
    """Bordered, wrapped cells for one sheet; text is always stored as text, never as a formula.

    Styles are resolved once per sheet and copied as style arrays: assigning font, border and alignment to
    every cell costs openpyxl a linear search per attribute and dominated the build time.
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._styles = {}
        for header in (False, True):
            for quoted in (False, True):
                template = WriteOnlyCell(ws, value="")
                template.border = BORDER
                template.font = HEADER_FONT if header else BODY_FONT
                template.alignment = HEADER_ALIGNMENT if header else WRAP
                if header:
                    template.fill = HEADER_FILL
                template.quotePrefix = quoted
                self._styles[header, quoted] = template._style

    def __call__(self, value: Any, *, header: bool = False) -> WriteOnlyCell:
        if value is None:
            value = ""
        quoted = False
        if isinstance(value, str):
            value = clean_text(value)
            quoted = value.startswith(FORMULA_TRIGGERS)
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            # openpyxl turns "=…" into a formula; force a plain string and the quote prefix Excel honours.
            cell.data_type = "s"
        cell._style = copy(self._styles[header, quoted])
        return cell


def text_cell(ws: WriteOnlyWorksheet, value: Any, *, header: bool = False) -> WriteOnlyCell:
    """One styled cell (for small sheets; long ones keep a CellFactory)."""
    return CellFactory(ws)(value, header=header)


def set_landscape_a4(ws: WriteOnlyWorksheet, *, title_rows: str | None = None) -> None:
    """Landscape A4, fitted to the page width, header rows repeated on each printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
