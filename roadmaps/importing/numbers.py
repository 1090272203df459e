"""Activity numbers: kept as written, made unique where the document restarts them in each section,
and given where the table has no «№» column."""

from __future__ import annotations

from collections import Counter

from .parsed import ParsedSection
from .textutil import row_number

NUMBERED_BY_IMPORTER = "В таблице нет столбца «№»: мероприятия пронумерованы по порядку (1, 2, 3…)."
RESTARTED = (
    "Нумерация мероприятий начинается заново в каждом разделе: к номерам добавлен номер раздела "
    "({examples}); номер, как в документе, сохранён."
)


def settle_numbers(sections: list[ParsedSection], has_number_column: bool) -> list[str]:
    """Fill ``number`` from ``number_as_written`` and return warnings about what was changed."""
    activities = [a for s in sections for a in s.activities]
    for activity in activities:
        activity.number = row_number(activity.number_as_written)
    if not activities:
        return []
    if not has_number_column or not any(a.number for a in activities):
        for position, activity in enumerate(activities, start=1):
            activity.number = str(position)
        return [NUMBERED_BY_IMPORTER]
    counts = Counter(a.number for a in activities if a.number)
    if all(n == 1 for n in counts.values()) or not _unique_within_sections(sections):
        return []
    examples = []
    qualifiers = [_qualifier(section) for section in sections]
    if len(set(qualifiers)) < len(qualifiers) or not all(qualifiers):
        qualifiers = [str(position) for position in range(1, len(sections) + 1)]
    for qualifier, section in zip(qualifiers, sections, strict=True):
        for activity in section.activities:
            if activity.number:
                activity.number = f"{qualifier}.{activity.number}"
                if len(examples) < 3 and activity.number not in examples:
                    examples.append(activity.number)
    return [RESTARTED.format(examples=", ".join(examples))]


def _unique_within_sections(sections: list[ParsedSection]) -> bool:
    for section in sections:
        numbers = [a.number for a in section.activities if a.number]
        if len(numbers) != len(set(numbers)):
            return False
    return True


def _qualifier(section: ParsedSection) -> str:
    """The section's own number, else the nearest numbered heading above it (when these do not tell
    sections apart, the caller numbers sections by position)."""
    if section.number:
        return section.number.rstrip(".")
    for heading in reversed(section.ancestors):
        if heading.number:
            return heading.number.rstrip(".")
    return ""
