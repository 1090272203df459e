"""Recognising a table's columns by the wording of their headers, not by their position.

``VOCABULARY`` is the whole rule set: for each field, the wordings real plans use for its column,
as regular expressions over a normalised header (lower case, «ё» as «е», words broken by a hyphen
or a line break joined again, single spaces). The first field with a matching wording wins, so the
order matters: «Место проведения мероприятия» and «Организация, ответственная за проведение
мероприятия» also contain «мероприятия», so the title comes last. Only the title column is
required; everything else is optional and reported in warnings when absent or not recognised.
"""

from __future__ import annotations

import re

VOCABULARY: list[tuple[str, list[str]]] = [
    ("region_code", [r"код\s+(?:региона|субъекта)"]),
    (
        "region_name",
        [r"^(?:регион|субъект(?:\s+рф|\s+российской федерации)?|наименование (?:региона|субъекта))$"],
    ),
    (
        "number",
        [
            r"^(?:№|n|no|nn|номер)\s*(?:п\s*/\s*п|пп)?\.?$",
            r"^п\s*/\s*п\.?$",
            r"^(?:№|номер)\s*(?:мероприятия|строки|пункта|п\.?)$",
        ],
    ),
    ("year", [r"^(?:на\s+)?(?:19|20)\d\d(?:\s*(?:год|г\.?))?$"]),
    ("unit", [r"^ед\w*\.?\s*(?:изм|измерения)", r"^единиц\w*(?:\s+измерения)?$"]),
    ("indicator_name", [r"наименовани\w*\s+(?:целев\w*\s+)?показател", r"^(?:целев\w*\s+)?показател\w*$"]),
    ("link", [r"ссылк"]),
    ("indicators", [r"целев\w*\s+значени"]),
    (
        "actual",
        [
            r"фактическ",
            r"\bфакт\b",
            r"отметк\w*\s+об?\s+(?:вы|ис)полнени",
            r"информаци\w*\s+об?\s+(?:вы|ис)полнени",
        ],
    ),
    (
        "deadline",
        [
            r"срок",
            r"планир\w*\s+дат",
            r"^дат[аы]",
            r"период\w*\s+(?:исполнения|проведения|реализации)",
            r"^период$",
            r"время\s+проведени",
            r"^когда$",
        ],
    ),
    ("audience", [r"целев\w*\s+аудитор", r"категори\w+\s+участник", r"^охват", r"^для\s+кого"]),
    (
        "responsible",
        [r"ответствен", r"исполнител", r"^ответств\.?", r"^(?:ответственные\s+)?участник", r"^кто\s"],
    ),
    ("place", [r"место", r"формат", r"форм\w*\s+проведени"]),
    ("goal", [r"цел\w*\s+и\s+задач", r"^цел[ьи]\b", r"краткое описание"]),
    ("result_document", [r"документ"]),
    (
        "result",
        [
            r"результат",
            r"показател",
            r"^итог",
            r"^выход",
            r"форм\w*\s+(?:отч[её]тност|завершени|представлени)",
            r"^продукт",
            r"эффект",
        ],
    ),
    ("comment", [r"комментари", r"примечани", r"источник\w*\s+финансир", r"финансировани"]),
    (
        "title",
        [
            r"мероприяти",
            r"наименовани",
            r"содержани",
            r"^название",
            r"^действи",
            r"направлени\w*(?:\s+(?:работы|деятельности))?",
            r"вид\w*\s+(?:работ|деятельност)",
            r"^работ[аы]$",
            r"^тем[аы]\b",
            r"^перечень",
        ],
    ),
]

_COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in VOCABULARY]

# How a field is named for a person (missing or unrecognised columns).
FIELD_NAMES = {
    "number": "№",
    "title": "Мероприятие",
    "deadline": "Сроки",
    "responsible": "Ответственный",
    "result": "Результат",
    "indicator_name": "Наименование показателя",
}
REQUIRED = ("title",)
# Optional columns a roadmap usually has; their absence is mentioned in a warning.
EXPECTED = ("deadline", "responsible", "result")  # a missing «№» has its own warning

# Fields that may repeat (a form may have several link columns, a column per year); others are taken once.
REPEATABLE = {"link", "year"}

_BROKEN_WORD = re.compile(r"(\w)-\s*\n\s*(\w)|(\w)\u00ad\s*(\w)|(\w)-\s+([а-яё])")


def normalise_header(text: str) -> str:
    """«Ответствен-\\nный исполни-\\nтель» → «ответственный исполнитель»."""
    text = text.replace("\u00ad", "")
    text = _BROKEN_WORD.sub(lambda m: "".join(g for g in m.groups() if g), text)
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
    for name, patterns in _COMPILED:
        if any(pattern.search(text) for pattern in patterns):
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
    """At least two distinct columns recognised, one of them the activity, the number or the indicator
    column, and recognised headers make up at least half of the filled cells."""
    filled = [c for c in cells if c.strip()]
    fields = [f for f in recognise_row(cells) if f]
    if len(set(fields)) < 2 or not ({"title", "number", "indicator_name"} & set(fields)):
        return False
    return len(fields) * 2 >= len(filled)


def header_score(cells: list[str]) -> int:
    """How convincingly a row is a roadmap header: distinct recognised fields, the title counting double."""
    fields = set(f for f in recognise_row(cells) if f)
    return len(fields) + (2 if "title" in fields else 0) + (1 if "indicator_name" in fields else 0)


def is_indicator_table(fields: list[str | None]) -> bool:
    """Yearly targets of a programme: an indicator name and year columns, no activity title."""
    present = set(fields)
    return "title" not in present and "indicator_name" in present and "year" in present


def missing_required(fields: list[str | None]) -> list[str]:
    present = set(f for f in fields if f)
    return [FIELD_NAMES[f] for f in REQUIRED if f not in present]


def missing_expected(fields: list[str | None]) -> list[str]:
    present = set(f for f in fields if f)
    return [FIELD_NAMES[f] for f in EXPECTED if f not in present]
