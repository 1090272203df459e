"""Plain-text tables: decoding, and the layouts text copies of Word/Excel tables come in (tables
drawn with «|» — Markdown and legal-database copies — are read in ``read_pipes``).

(a) «tab-led»: a cell per line starting with TAB, a line without TAB continues the cell above,
    a blank line ends a row — unless the row is still short of the header's columns;
(b) «paragraphs»: a cell per paragraph, blank lines between cells, no TABs; rows are rebuilt from
    the header's column count and the shape of cells (see ``_paragraph_rows``);
(c) TSV (or CSV): a row per line, cells split by TAB (or by the CSV dialect).
"""

from __future__ import annotations

import csv
import io
import re

from . import columns, errors, read_pipes
from .errors import ImportRefused
from .grid import Grid, Row
from .textutil import REVISION_NOTE, REVISION_START, ROW_NUMBER

_SECTION = re.compile(r"^(?:раздел|глава|часть)\s+[IVXLC\d]+\b|^[IVXLC]+\.\s+\S", re.I)
_NUMBERED_HEADING = re.compile(r"^(\d{1,3})\.\s+\S")
_PLAUSIBLE = re.compile(r"[A-Za-zА-Яа-яЁё0-9\s.,;:!?()\[\]«»\"'№%/\\+=<>*&#@$^~`|{}_–—…“”„‘’•·°\-]")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows-1251 that reads as Russian text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(errors.ENCODING)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise ImportRefused(errors.ENCODING) from None
        if not plausible(text):
            raise ImportRefused(errors.ENCODING) from None
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f")
    if "\x00" in text or controls > len(text) // 100:
        raise ImportRefused(errors.ENCODING)
    return text


def plausible(text: str) -> bool:
    """Decoded text is plausible when nearly every character is a Cyrillic or Latin letter, a digit,
    whitespace or ordinary punctuation, and letters are mostly Cyrillic or ASCII (random bytes read
    as cp1251 give many «Ђ», «‰», «Ћ» and control characters)."""
    if not text:
        return True
    good = len(_PLAUSIBLE.findall(text))
    letters = [c for c in text if c.isalpha()]
    common = sum(1 for c in letters if c.isascii() or "А" <= c <= "я" or c in "Ёё")
    return good >= 0.97 * len(text) and (not letters or common >= 0.95 * len(letters))


def read_text(data: bytes, extension: str) -> Grid:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if extension == ".csv":
        return _csv_grid(text)
    if extension == ".tsv":
        return _tsv_grid(lines)
    if read_pipes.is_markdown(lines):
        return read_pipes.markdown_grid(lines)
    if read_pipes.is_legal_pipes(lines):
        return read_pipes.legal_pipes_grid(lines)
    tab_lines = [line for line in lines if "\t" in line]
    if tab_lines:
        multi = sum(1 for line in tab_lines if line.strip("\t").count("\t") >= 2)
        if multi * 2 >= len(tab_lines):
            return _tsv_grid(lines)
        return _tab_led_grid(lines)
    return _paragraph_grid(lines)


def _tsv_grid(lines: list[str]) -> Grid:
    rows = [Row(line.split("\t"), number) for number, line in enumerate(lines, 1)]
    return _split_preamble(rows, "tsv")


def _csv_grid(text: str) -> Grid:
    """The delimiter is whichever of «;», «,», TAB appears in the most lines (Excel in Russia uses «;»)."""
    lines = text.split("\n")[:500]
    delimiter = max(";,\t", key=lambda d: (sum(1 for line in lines if d in line), d == ";"))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for cells in reader:
        rows.append(Row(cells, reader.line_num))
    return _split_preamble(rows, "csv")


def _split_preamble(rows: list[Row], source_format: str) -> Grid:
    """Rows before the header row become preamble lines."""
    for index, row in enumerate(rows):
        if columns.looks_like_header(row.cells):
            preamble = [" ".join(c.strip() for c in r.cells if c.strip()) for r in rows[:index]]
            return Grid(rows=rows[index:], preamble=preamble, source_format=source_format)
    return Grid(rows=rows, preamble=[], source_format=source_format)


# ---- layout (a): a cell per TAB-led line -----------------------------------------------------------


def _starts_row(cells: list[str], next_cell: str, width: int | None) -> bool:
    """After a blank line, does the TAB-led line ``next_cell`` start a new row?"""
    if width is None or len(cells) >= width:
        return True
    if len(cells) == 1 and cells[0].strip():
        return True  # a heading spanning the row
    text = next_cell.strip()
    return bool(ROW_NUMBER.match(text) or _SECTION.match(text))


def _tab_led_grid(lines: list[str]) -> Grid:
    preamble: list[str] = []
    rows: list[Row] = []
    cells: list[str] | None = None
    start = 0
    width: int | None = None
    blank = False

    def finish() -> None:
        nonlocal cells, width
        if cells is not None:
            rows.append(Row(cells, start))
            if width is None and columns.looks_like_header(cells):
                width = len(cells)
        cells = None

    for number, line in enumerate(lines, 1):
        if not line.strip(" \u00a0"):
            blank = True
            continue
        if line.startswith("\t"):
            content = line[1:]
            if cells is not None and blank and _starts_row(cells, content, width):
                finish()
            if cells is None:
                cells, start = [], number
            cells.append(content)
        elif cells is not None:
            cells[-1] += "\n" + line
        else:
            if blank and preamble:
                preamble.append("")
            preamble.append(line)
        blank = False
    finish()
    return Grid(rows=rows, preamble=preamble, source_format="text")


# ---- layout (b): a cell per paragraph ----------------------------------------------------------------


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            out.append((start, "\n".join(current)))
            current = []
    return out


def _paragraph_grid(lines: list[str]) -> Grid:
    paragraphs = _paragraphs(lines)
    header_at = None
    width = 0
    for index in range(len(paragraphs)):
        run = 0
        while index + run < len(paragraphs) and columns.recognise(paragraphs[index + run][1]):
            run += 1
        if run >= 2 and columns.looks_like_header([p for _, p in paragraphs[index : index + run]]):
            header_at, width = index, run
            break
    if header_at is None:
        raise ImportRefused(errors.NO_TABLE)
    preamble: list[str] = []
    for _, text in paragraphs[:header_at]:
        preamble.extend([*text.split("\n"), ""])
    header = [text for _, text in paragraphs[header_at : header_at + width]]
    rows = [Row(header, paragraphs[header_at][0])]
    rows.extend(_paragraph_rows(paragraphs[header_at + width :], header))
    return Grid(rows=rows, preamble=preamble, source_format="text")


def _paragraph_rows(paragraphs: list[tuple[int, str]], header: list[str]) -> list[Row]:
    """Rebuild rows: a bare number («1.1.») starts an activity, «1. Текст» or «Раздел I» a heading,
    «(в ред. …)» notes stay with the row above; other paragraphs are cells of the current row."""
    fields = columns.recognise_row(header)
    width = len(header)
    title_at = fields.index("title") if "title" in fields else 1
    rows: list[Row] = []
    current: list[str] | None = None
    notes: list[str] = []
    start = 0
    heading = False
    section_number = 0
    open_note = ""

    def finish() -> None:
        nonlocal current, notes
        if current is not None:
            cells = [current[0]] if heading else _distribute(current, width, title_at)
            if notes:
                cells[-1] = cells[-1] + "\n" + "\n".join(notes)
            rows.append(Row(cells, start))
        current, notes = None, []

    for number, text in paragraphs:
        flat = " ".join(text.split())
        if open_note:
            open_note += " " + flat
            if REVISION_NOTE.search(open_note):
                notes.append(open_note)
                open_note = ""
            continue
        if REVISION_START.match(flat):
            if REVISION_NOTE.search(flat):
                notes.append(flat)
            else:
                open_note = flat
            continue
        numbered = _NUMBERED_HEADING.match(flat)
        if ROW_NUMBER.match(flat):
            finish()
            current, start, heading = [flat], number, False
        elif _SECTION.match(flat) or (numbered and int(numbered.group(1)) == section_number + 1):
            finish()
            if numbered:
                section_number = int(numbered.group(1))
            current, start, heading = [text], number, True
        elif current is None:
            current, start, heading = [text], number, False
        elif heading:
            current[0] += "\n" + text
        else:
            current.append(text)
    if open_note:
        notes.append(open_note)
    finish()
    return rows


def _distribute(cells: list[str], width: int, title_at: int) -> list[str]:
    """More paragraphs than columns: the extra ones belong to the activity's name (lists inside it).
    Fewer: the row stays short and is later aligned by what its cells contain."""
    extra = len(cells) - width
    if extra <= 0 or title_at >= len(cells):
        return cells
    merged = "\n".join(cells[title_at : title_at + extra + 1])
    return [*cells[:title_at], merged, *cells[title_at + extra + 1 :]]
