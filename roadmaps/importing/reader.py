"""``parse_file``: checks, dispatch by extension, then structure recognition."""

from __future__ import annotations

import os
import warnings

from . import containers, errors
from .errors import ImportRefused
from .grid import Grid
from .limits import BUILT, READ_TO, Progress, ReadLimits, RowCounter
from .parsed import ParsedRoadmap
from .read_text import read_text
from .structure import build

_OFFICE = {".docx": "docx", ".xlsx": "xlsx"}
_TEXT = (".txt", ".tsv", ".csv")


def parse_file(
    data: bytes, filename: str, *, limits: ReadLimits | None = None, progress: Progress | None = None
) -> ParsedRoadmap:
    """Read a roadmap from a file's bytes; the extension of ``filename`` says what it should be.

    Raises ``ImportRefused`` (with a Russian message) for an unsupported, empty, too large (past
    ``limits``: bytes, rows or filled cells), password-protected, corrupt or unrecognisable file.
    ``progress`` is called with a percentage now and then (never 100: the caller finishes)."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in _OFFICE and extension not in _TEXT:
        raise ImportRefused(errors.unsupported(extension))
    counter = RowCounter(limits, progress)
    containers.check_size(data, counter.limits.max_bytes)
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
        grid = _read_office(found, data, archive, counter)
    else:
        if kind != "text":
            raise ImportRefused(errors.mismatch(extension))
        grid = read_text(data, extension)
        for row in grid.rows:  # text is split into rows at once; the limits apply before the structure
            counter.take(row.cells)
    counter.report(READ_TO)
    roadmap = build(grid, counter.building if progress else None)
    counter.report(BUILT)
    return roadmap


def _read_office(kind: str, data: bytes, archive, counter: RowCounter) -> Grid:
    """Any failure inside the Word/Excel libraries means a damaged file, said so to the person."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "docx":
                from .read_docx import read_docx

                return read_docx(data, counter)
            from .read_xlsx import read_xlsx

            return read_xlsx(data, archive, counter)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(errors.CORRUPT) from None
