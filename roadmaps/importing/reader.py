"""``parse_file``: checks, dispatch by extension, then structure recognition."""

from __future__ import annotations

import os
import warnings

from . import containers, errors
from .errors import ImportRefused
from .grid import Grid
from .parsed import ParsedRoadmap
from .read_text import read_text
from .structure import build

_OFFICE = {".docx": "docx", ".xlsx": "xlsx"}
_TEXT = (".txt", ".tsv", ".csv")


def parse_file(data: bytes, filename: str) -> ParsedRoadmap:
    """Read a roadmap from a file's bytes; the extension of ``filename`` says what it should be.

    Raises ``ImportRefused`` (with a Russian message) for an unsupported, empty, too large,
    password-protected, corrupt or unrecognisable file."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in _OFFICE and extension not in _TEXT:
        raise ImportRefused(errors.unsupported(extension))
    containers.check_size(data)
    kind = containers.sniff(data)
    if extension in _OFFICE:
        if kind == "ole":
            containers.refuse_ole(data)
        if kind != "zip":
            raise ImportRefused(errors.CORRUPT)
        archive = containers.open_zip(data)
        found = containers.office_kind(archive)
        if not found:
            raise ImportRefused(errors.CORRUPT)
        if found != _OFFICE[extension]:
            raise ImportRefused(errors.mismatch(extension))
        grid = _read_office(found, data, archive)
    else:
        if kind != "text":
            raise ImportRefused(errors.mismatch(extension))
        grid = read_text(data, extension)
    return build(grid)


def _read_office(kind: str, data: bytes, archive) -> Grid:
    """Any failure inside the Word/Excel libraries means a damaged file, said so to the person."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "docx":
                from .read_docx import read_docx

                return read_docx(data)
            from .read_xlsx import read_xlsx

            return read_xlsx(data, archive)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(errors.CORRUPT) from None
