"""Reading roadmap documents («дорожные карты») into plain data.

``parse_file(data, filename)`` reads a .docx, .xlsx, .txt, .tsv or .csv file and returns a
``ParsedRoadmap``; a file that cannot be read raises ``ImportRefused`` with a message for a person.
``limits=ReadLimits(...)`` refuses a file past a size, row or cell limit as soon as the reader passes
it, and ``progress`` receives a percentage while it reads (limits.py).
``writers.write_xlsx`` / ``writers.write_docx`` produce files in a layout these readers recognise.
No Django here: saving into the database is done elsewhere.
"""

from __future__ import annotations

from .errors import ImportRefused
from .parsed import (
    ParsedAct,
    ParsedActivity,
    ParsedHeading,
    ParsedIndicator,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
    ParsedWarning,
)
from .reader import parse_file

__all__ = [
    "ImportRefused",
    "ParsedAct",
    "ParsedActivity",
    "ParsedHeading",
    "ParsedIndicator",
    "ParsedResponsible",
    "ParsedRoadmap",
    "ParsedSection",
    "ParsedWarning",
    "parse_file",
]
