"""Text bound for a spreadsheet cell, made safe to open: the one rule for every file the portal writes.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is taken for a
formula by Excel and LibreOffice: `=HYPERLINK(...)` typed as an activity title would become a live link,
and in a CSV file even a command. Plain Python, no Django and no openpyxl: the report builders, the roadmap
writer and the admin's import-export resources all import it.
"""

from __future__ import annotations

import re
from typing import Any

# Spreadsheet programs evaluate text that starts with these as a formula (OWASP's list for CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A plain number («-5», «+7,5») is read as that number, never as a formula: it keeps its sign.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def clean_text(value: str) -> str:
    """Strip characters XML 1.0 cannot hold (openpyxl would refuse the whole file for one of them)."""
    return _CONTROL.sub("", value)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read the text as a formula if it were typed into a cell."""
    return text.startswith(FORMULA_TRIGGERS)


def escape_formula(value: Any) -> Any:
    """A value for a file whose cells carry no type (CSV, TSV, tablib's xlsx): formula-like text gets the
    leading apostrophe that spreadsheet programs read as «this is text»; anything else is returned as is."""
    if isinstance(value, str) and is_formula_like(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def as_text_cell(cell: Any) -> Any:
    """An openpyxl cell holding text keeps it as text: stored as a string, never as a formula, with the
    quote prefix Excel honours when the cell is edited. The text itself is unchanged (files read back equal).
    """
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = is_formula_like(cell.value)
    return cell
