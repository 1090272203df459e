"""Small openpyxl helpers shared by the Excel builders."""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy
from typing import Any

from lxml import etree
from openpyxl import LXML
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from config.spreadsheet_text import clean_text, is_formula_like

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FONT = Font(name="Times New Roman", bold=True, size=10)
BODY_FONT = Font(name="Times New Roman", size=10)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


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
            quoted = is_formula_like(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            # openpyxl turns "=…" into a formula; force a plain string and the quote prefix Excel honours.
            cell.data_type = "s"
        cell._style = copy(self._styles[header, quoted])
        return cell


class TextRows:
    """Rows of text cells styled like a CellFactory's, streamed into a write-only sheet in bulk.

    openpyxl spends about 10 µs on each styled cell (a Cell object, value binding, a style lookup and three
    nested XML writer calls), two to three times what the rest of a report costs. This class writes the same
    `<row>`/`<c s=… t="inlineStr">` markup openpyxl would write for `CellFactory` cells, as text for a block
    of rows that lxml parses in one go into the sheet's own stream; columns, merges, print setup, styles
    and the zip stay openpyxl's. Once used, every row of the sheet must go through it.

    It relies on three internals of openpyxl 3.1's WriteOnlyWorksheet (`_get_writer`, `_values_to_row`,
    `_writer.write_row`) and on openpyxl writing through lxml; without them it falls back to appending
    CellFactory cells.
    """

    BLOCK = 100  # rows serialised and parsed at a time: bounds memory, amortises the parser call

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._cells = CellFactory(ws)
        self._fast = LXML and hasattr(ws, "_values_to_row") and hasattr(ws, "_get_writer")
        if self._fast:
            ws._get_writer()
            self._fast = hasattr(ws._writer, "write_row")
        if self._fast:
            ws._values_to_row = lambda values, _row_idx: values
            ws._writer.write_row = self._write_block
        self._parser = etree.XMLParser(resolve_entities=False, no_network=True)
        self._style_ids: dict[tuple[bool, bool], str] = {}
        self._letters: list[str] = []
        self._row = 0
        self._pending: list[str] = []

    def _style_id(self, header: bool, quoted: bool) -> str:
        # Registered on first use, in the order CellFactory cells would register them.
        key = header, quoted
        if key not in self._style_ids:
            template = WriteOnlyCell(self.ws)
            template._style = copy(self._cells._styles[key])
            self._style_ids[key] = str(template.style_id)
        return self._style_ids[key]

    def append(self, values: Iterable[Any], *, header: bool = False) -> None:
        """One row of str values (None for an empty cell), cleaned and quoted exactly as CellFactory does."""
        if not self._fast:
            self.ws.append([self._cells(value, header=header) for value in values])
            return
        self._row += 1
        row = str(self._row)
        letters = self._letters
        parts = [f'<row r="{row}">']
        for index, value in enumerate(values):
            if index == len(letters):
                letters.append(get_column_letter(index + 1))
            text = clean_text(value)[:32767] if value else ""  # openpyxl truncates to Excel's limit
            style = self._style_id(header, is_formula_like(text))
            if not text:
                parts.append(f'<c r="{letters[index]}{row}" s="{style}" t="inlineStr"/>')
                continue
            space = ' xml:space="preserve"' if text != text.strip() else ""
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            parts.append(
                f'<c r="{letters[index]}{row}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
            )
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= self.BLOCK:
            self.flush()

    def flush(self) -> None:
        """Hand the pending rows to the sheet; call once after the last row, before saving."""
        if self._pending:
            self.ws.append(["".join(("<rows>", *self._pending, "</rows>"))])
            self._pending = []

    def _write_block(self, xf, block: list[str], _row_idx: int) -> None:
        # Called by openpyxl with what flush() appended; its own row counter is ignored (rows carry theirs).
        for row in etree.fromstring(block[0], self._parser):
            xf.write(row)


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
