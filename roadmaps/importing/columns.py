"""Recognising a table's columns by the wording of their headers, not by their position.

``FIELD_PATTERNS`` is the whole rule set: the first pattern that matches a header decides its field.
Order matters: headers such as «Место проведения мероприятия» or «Организация, ответственная за
проведение мероприятия» also contain the word «мероприятия», so the title pattern comes last.
"""

from __future__ import annotations

import re

# (field, pattern) — tried in order against a lower-cased header with «ё» as «е» and single spaces.
FIELD_PATTERNS: list[tuple[str, str]] = [
    ("region_code", r"код\s+(?:региона|субъекта)"),
    (
        "region_name",
        r"^(?:регион|субъект(?:\s+рф|\s+российской федерации)?|наименование (?:региона|субъекта))$",
    ),
    ("number", r"^(?:№|n|no|nn|номер)\s*(?:п\s*/\s*п|пп)?\.?$|^п\s*/\s*п\.?$|^№\s*(?:мероприятия|строки)$"),
    ("link", r"ссылк"),
    ("indicators", r"целев\w*\s+значени"),
    ("actual", r"фактическ"),
    ("deadline", r"срок|планир\w*\s+дат|^дата|период\w*\s+(?:исполнения|проведения|реализации)"),
    ("responsible", r"ответствен|исполнител"),
    ("audience", r"целев\w*\s+аудитор|категори\w+\s+участник"),
    ("place", r"место|формат"),
    ("goal", r"цел\w*\s+и\s+задач|^цел[ьи]\b|краткое описание"),
    ("result_document", r"документ"),
    ("result", r"результат|показател"),
    ("comment", r"комментари|примечани"),
    ("title", r"мероприяти|наименовани|содержание|^название|^действи"),
]

_COMPILED = [(name, re.compile(pattern)) for name, pattern in FIELD_PATTERNS]

# How a missing required column is named for a person.
FIELD_NAMES = {
    "title": "Мероприятие",
    "deadline": "Сроки",
    "responsible": "Ответственный",
    "result": "Результат",
}
REQUIRED = ("title", "deadline")
# At least one of these must be present too; the first is named when none is.
REQUIRED_ONE_OF = ("responsible", "result")

# Fields that may repeat (a form may have several link columns); others are taken once.
REPEATABLE = {"link"}


def normalise_header(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰⁾⁽*]", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" :.,;")


def recognise(header: str) -> str | None:
    """The field a header names, or None."""
    text = normalise_header(header)
    if not text or len(text) > 200:
        return None
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return None


def recognise_row(cells: list[str]) -> list[str | None]:
    """Fields for a header row; a non-repeatable field recognised twice keeps its first column."""
    seen: set[str] = set()
    fields: list[str | None] = []
    for cell in cells:
        name = recognise(cell)
        if name in seen and name not in REPEATABLE:
            name = None
        if name:
            seen.add(name)
        fields.append(name)
    return fields


def looks_like_header(cells: list[str]) -> bool:
    """At least two distinct columns recognised, one of them the activity or the number column,
    and recognised headers make up at least half of the filled cells."""
    filled = [c for c in cells if c.strip()]
    fields = [f for f in recognise_row(cells) if f]
    if len(set(fields)) < 2 or not ({"title", "number"} & set(fields)):
        return False
    return len(fields) * 2 >= len(filled)


def missing_required(fields: list[str | None]) -> list[str]:
    present = set(f for f in fields if f)
    missing = [FIELD_NAMES[f] for f in REQUIRED if f not in present]
    if not present & set(REQUIRED_ONE_OF):
        missing.append(FIELD_NAMES[REQUIRED_ONE_OF[0]])
    return missing
