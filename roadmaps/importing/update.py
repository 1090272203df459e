"""A roadmap's own table, edited in Excel and read back, compared with the roadmap as it stands: which
activities the file adds, changes (field by field), removes or leaves as they are, matched by number
(ActivityInfo's import by key). Plain Python, no Django: the services apply what this finds.

Both sides are compared in one shape, ``row_values``: the texts of the columns the portal's own export
writes, with line endings and spaces at line ends evened out, so an export read back unedited differs
in nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .parsed import ParsedActivity
from .responsible import responsible_as_written
from .textutil import row_number

# (key, column as the export heads it): what a file may change in an activity. The number is the key;
# the actual date and indicator targets are the coordinators' and the indicators' screens' business.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Мероприятие"),
    ("deadline", "Сроки"),
    ("responsible", "Ответственный"),
    ("result", "Результат"),
    ("goal", "Цель и задачи"),
    ("place", "Место и формат проведения"),
    ("result_document", "Подтверждающий документ"),
    ("audience", "Целевая аудитория"),
    ("link", "Ссылки"),
    ("comment", "Комментарий"),
)
LABELS = dict(FIELDS)

NO_NUMBER = "Нет номера мероприятия: строки сопоставляются с дорожной картой по номеру."
NO_TITLE = "Нет наименования мероприятия."


def duplicate(number: str, rows: list[int]) -> str:
    where = ", ".join(str(row) for row in rows)
    return f"Номер «{number}» повторяется в строках {where}: у каждого мероприятия должен быть свой номер."


def _even(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def row_values(activity: ParsedActivity) -> dict[str, str]:
    """The compared columns of one activity, as the export writes them (writers.activity_values)."""
    deadline = "\n".join([activity.deadline_text] + [f"({ref})" for ref in activity.revision_refs])
    return {
        "title": _even(activity.title),
        "deadline": _even(deadline),
        "responsible": _even(responsible_as_written(activity)),
        "result": _even(activity.planned_result + (" (выполнено)" if activity.done else "")),
        "goal": _even(activity.goal_and_tasks),
        "place": _even(activity.place_and_format),
        "result_document": _even(activity.result_document),
        "audience": _even(activity.target_audience),
        "link": _even("\n".join(activity.links)),
        "comment": _even(activity.comment),
    }


def number_key(number: str) -> str:
    """«1.1.», «1.1» and « 1.1. » are the same activity."""
    return row_number(number)


@dataclass(frozen=True)
class Row:
    """One activity row of the file: its key (the number, dots and spaces dropped), the number an added
    activity is saved with (as the file writes it, or as the reader settled it), the sheet row, its
    compared values, and where it sits (its section's heading, the key of the row above it)."""

    key: str
    number: str
    row: int
    values: dict[str, str]
    heading: str = ""
    after: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Changed:
    key: str
    row: int
    title: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Removed:
    key: str
    title: str


@dataclass(frozen=True)
class Refused:
    row: int
    number: str
    reason: str


@dataclass
class UpdateDiff:
    added: list[Row] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Refused] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
        }


def diff_rows(current: Mapping[str, Mapping[str, str]], rows: Iterable[Row]) -> UpdateDiff:
    """Classify the file's rows against the roadmap's activities (key → ``row_values``).

    A row without a number or a title, and every row of a number written twice, is refused with its row;
    a refused row is never taken for a removal of the activity it names (nothing is applied while any
    row is refused anyway). Activities the file does not name are removed; the order of ``current`` is
    the order removals are listed in."""
    rows = list(rows)
    diff = UpdateDiff()
    rows_of: dict[str, list[int]] = {}
    for row in rows:
        if row.key:
            rows_of.setdefault(row.key, []).append(row.row)
    counts = Counter(row.key for row in rows if row.key)
    named = set(counts)
    for row in rows:
        if not row.key:
            diff.refused.append(Refused(row=row.row, number=row.number, reason=NO_NUMBER))
        elif counts[row.key] > 1:
            diff.refused.append(
                Refused(row=row.row, number=row.number, reason=duplicate(row.number, rows_of[row.key]))
            )
        elif not row.values.get("title"):
            diff.refused.append(Refused(row=row.row, number=row.number, reason=NO_TITLE))
        elif row.key not in current:
            diff.added.append(row)
        else:
            old = current[row.key]
            changes = tuple(
                FieldChange(field=name, label=label, old=old.get(name, ""), new=row.values.get(name, ""))
                for name, label in FIELDS
                if old.get(name, "") != row.values.get(name, "")
            )
            if changes:
                diff.changed.append(
                    Changed(key=row.key, row=row.row, title=row.values["title"], fields=changes)
                )
            else:
                diff.unchanged += 1
    diff.removed = [
        Removed(key=key, title=values.get("title", "")) for key, values in current.items() if key not in named
    ]
    return diff


def file_rows(sections, current_keys: Iterable[str], aliases: Mapping[str, str] | None = None) -> list[Row]:
    """The rows of a parsed file (its ``sections``), keyed by number.

    The reader makes numbers unique by prefixing the section's («1.» in section II → «II.1») when a
    document restarts numbering in each section; a roadmap imported that way keeps such numbers, one
    numbered throughout does not. Of the two keyings — as the file writes the numbers, or as the reader
    settled them — the one that names more of the roadmap's activities is taken (as written on a tie),
    so a number repeated by mistake is reported as repeated rather than renumbering every row.

    ``aliases`` are other keys of the roadmap's activities (the number its document wrote, «1.», for one
    the importer renumbered «II.1»), taken for that activity where no activity has the key itself."""
    current_keys = set(current_keys)
    aliases = {alias: key for alias, key in (aliases or {}).items() if alias not in current_keys}
    current_keys |= set(aliases)
    activities = [(section, activity) for section in sections for activity in section.activities]

    def written(activity: ParsedActivity) -> str:
        return number_key(activity.number_as_written)

    def settled(activity: ParsedActivity) -> str:
        return number_key(activity.number) if activity.number_as_written else ""

    def hits(key_of) -> int:
        return sum(1 for _, activity in activities if key_of(activity) in current_keys)

    as_settled = hits(settled) > hits(written)
    key_of = settled if as_settled else written
    rows = []
    previous = ""
    for section, activity in activities:
        key = key_of(activity)
        key = aliases.get(key, key)
        number = activity.number if as_settled and activity.renumbered else activity.number_as_written
        rows.append(
            Row(
                key=key,
                number=number,
                row=activity.source_row,
                values=row_values(activity),
                heading=section.title,
                after=previous,
            )
        )
        previous = key or previous
    return rows
