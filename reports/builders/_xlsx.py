"""Small openpyxl helpers shared by the Excel builders."""

from __future__ import annotations

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


def clean_text(value: str) -> str:
    """Strip characters XML 1.0 cannot hold (openpyxl would refuse the whole file for one of them)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


def text_cell(ws: WriteOnlyWorksheet, value: Any, *, header: bool = False) -> WriteOnlyCell:
    """A bordered, wrapped cell; text is always stored as text, never as a formula."""
    if value is None:
        value = ""
    if isinstance(value, str):
        value = clean_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        # openpyxl turns "=…" into a formula; force a plain string and the quote prefix Excel honours.
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    cell.border = BORDER
    if header:
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        cell.fill = HEADER_FILL
    else:
        cell.font = BODY_FONT
        cell.alignment = WRAP
    return cell


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
