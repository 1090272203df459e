"""Names of downloaded files: «Дорожная карта по реализации проекта «500+» на 2026 год — 01.12.2026.pdf»,
reports by kind, scope and date. Browsers get them through Django's RFC 5987 Content-Disposition."""

from __future__ import annotations

import datetime
import re

# Characters no file system or browser keeps, and runs of spaces.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
# What every roadmap's title repeats and its file name says anyway.
_LEADING = re.compile(
    r"^(?:(?:план\s+мероприятий|план-график|план|дорожная\s+карта)\b)?\s*"
    r"(?:\(\s*)?(?:[«\"]?\s*дорожн\w*\s+карт\w*\s*[»\"]?)?(?:\s*\))?\s*",
    re.I,
)
_TRAILING_PERIOD = re.compile(
    r"\s*на\s+(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\s*(?:год\w*|гг?\.?)?\s*\.?$", re.I
)
SHORT_TITLE_CHARS = 60
# Most file systems keep 255 bytes of a name; Cyrillic takes two in UTF-8.
MAX_NAME_BYTES = 240


def safe_file_name(name: str) -> str:
    """``name`` without characters a file system refuses, cut (before the extension) to fit its limit."""
    name = _SPACES.sub(" ", _UNSAFE.sub(" ", name)).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .—-") + suffix


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word with «…»."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:—-") + "…"


def short_title(title: str) -> str:
    """The roadmap's title without «План мероприятий («дорожная карта»)» and «на 2026 год», clipped;
    a title that is a name of its own («Успех каждого ребенка») is put in quotes."""
    text = _TRAILING_PERIOD.sub("", _LEADING.sub("", _SPACES.sub(" ", title).strip(), count=1))
    text = clip(text.strip(" ,.;:—-"), SHORT_TITLE_CHARS)
    if text and not text[0].islower() and not text.startswith("«"):
        text = f"«{text}»"
    return text


def period_words(year_start: int, year_end: int) -> str:
    if year_start == year_end:
        return f"на {year_start} год"
    return f"на {year_start}–{year_end} годы"


def roadmap_subject(*, title: str, year_start: int, year_end: int) -> str:
    """«Дорожная карта по реализации проекта «500+» на 2026 год»."""
    return " ".join(
        part for part in ("Дорожная карта", short_title(title), period_words(year_start, year_end)) if part
    )


def roadmap_file_name(
    *, title: str, year_start: int, year_end: int, day: datetime.date, extension: str
) -> str:
    """«Дорожная карта … на 2026 год — 01.12.2026.pdf»; ``day`` is the day the file was made."""
    subject = roadmap_subject(title=title, year_start=year_start, year_end=year_end)
    return safe_file_name(f"{subject} — {day:%d.%m.%Y}.{extension}")
