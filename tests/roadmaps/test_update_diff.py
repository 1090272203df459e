"""The pure half of «Загрузить изменения из Excel»: a file's rows against the activities, by number."""

from __future__ import annotations

import pytest

from roadmaps.importing.parsed import ParsedActivity, ParsedResponsible, ParsedSection
from roadmaps.importing.update import NO_NUMBER, NO_TITLE, Row, diff_rows, file_rows, number_key, row_values


def values(title: str, **others: str) -> dict[str, str]:
    return row_values(ParsedActivity(title=title)) | {"title": title} | others


CURRENT = {
    "1.1": values("Семинар", deadline="Март 2025 года"),
    "1.2": values("Совещание", deadline="Ежеквартально"),
    "2.1": values("Отчёт", deadline="Декабрь 2025 года"),
}


def row(key: str, title: str, line: int, **others: str) -> Row:
    return Row(key=key, number=f"{key}.", row=line, values=values(title, **others))


SEMINAR = row("1.1", "Семинар", 5, deadline="Март 2025 года")
MEETING = row("1.2", "Совещание", 6, deadline="Ежеквартально")
REPORT = row("2.1", "Отчёт", 8, deadline="Декабрь 2025 года")
TWICE = "повторяется в строках 5, 6"

CASES = [
    pytest.param(
        [SEMINAR, MEETING, REPORT], {"added": 0, "changed": 0, "removed": 0, "unchanged": 3}, [], [],
        id="unedited-file-changes-nothing",
    ),
    pytest.param(
        [row("1.1", "Семинар для педагогов", 5, deadline="Апрель 2025 года"), MEETING, REPORT],
        {"added": 0, "changed": 1, "removed": 0, "unchanged": 2}, [("1.1", ["title", "deadline"])], [],
        id="title-and-deadline-changed-field-by-field",
    ),
    pytest.param(
        [SEMINAR, row("1.3", "Конкурс", 6), REPORT],
        {"added": 1, "changed": 0, "removed": 1, "unchanged": 2}, [], [],
        id="a-new-number-adds-and-a-missing-one-removes",
    ),
    pytest.param(
        [SEMINAR, row("1.1", "Семинар ещё раз", 6), MEETING, REPORT],
        {"added": 0, "changed": 0, "removed": 0, "unchanged": 2}, [], [(5, TWICE), (6, TWICE)],
        id="a-repeated-number-refuses-both-rows-and-removes-nothing",
    ),
    pytest.param(
        [SEMINAR, row("", "Без номера", 6), row("1.2", "", 7), REPORT],
        {"added": 0, "changed": 0, "removed": 0, "unchanged": 2}, [], [(6, NO_NUMBER), (7, NO_TITLE)],
        id="rows-without-number-or-title-refused",
    ),
    pytest.param(
        [], {"added": 0, "changed": 0, "removed": 3, "unchanged": 0}, [], [], id="an-empty-table-removes-all",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "counts", "changed", "refused"), CASES)
def test_rows_are_classified_by_number(rows, counts, changed, refused):
    diff = diff_rows(CURRENT, rows)
    assert diff.counts() == counts
    assert [(c.key, [f.field for f in c.fields]) for c in diff.changed] == changed
    assert len(diff.refused) == len(refused)
    for item, (line, reason) in zip(diff.refused, refused, strict=True):
        assert item.row == line
        assert reason in item.reason


def test_a_change_says_old_and_new_with_the_column_name():
    diff = diff_rows(CURRENT, [row("2.1", "Отчёт", 8, deadline="Ноябрь 2025 года")])
    (change,) = diff.changed
    (field,) = change.fields
    assert (field.label, field.old, field.new) == ("Сроки", "Декабрь 2025 года", "Ноябрь 2025 года")


@pytest.mark.parametrize(
    ("written", "key"), [("1.1.", "1.1"), ("1.1", "1.1"), (" 1.1. ", "1.1"), ("7.", "7"), ("II.1", "II.1")]
)
def test_numbers_match_with_or_without_the_final_dot(written, key):
    assert number_key(written) == key


def test_line_endings_and_trailing_spaces_are_no_change():
    edited = ParsedActivity(title="Семинар  ", deadline_text="Март\r\n2025 года ")
    assert row_values(edited) == row_values(ParsedActivity(title="Семинар", deadline_text="Март\n2025 года"))


def test_responsible_organisations_compare_as_the_export_writes_them():
    parsed = ParsedActivity(title="Т", responsible=[ParsedResponsible(name="ТОИПКРО", by_agreement=True)])
    assert row_values(parsed)["responsible"] == "ТОИПКРО (по согласованию)"


def _activity(written: str, settled: str, line: int) -> ParsedActivity:
    return ParsedActivity(number=settled, number_as_written=written, title=f"Строка {line}", source_row=line)


def test_numbers_restarted_per_section_match_a_roadmap_that_keeps_them_qualified():
    sections = [
        ParsedSection(title="I", number="I", activities=[_activity("1.", "I.1", 3)]),
        ParsedSection(title="II", number="II", activities=[_activity("1.", "II.1", 5)]),
    ]
    rows = file_rows(sections, {"I.1", "II.1"})
    assert [(r.key, r.number, r.heading, r.after) for r in rows] == [
        ("I.1", "I.1", "I", ""),
        ("II.1", "II.1", "II", "I.1"),
    ]


def test_a_number_typed_twice_is_reported_rather_than_renumbering_every_row():
    # The reader qualifies every number when one repeats across sections; the roadmap's are unqualified.
    sections = [
        ParsedSection(
            title="I", number="I", activities=[_activity("1.", "I.1", 3), _activity("2.", "I.2", 4)]
        ),
        ParsedSection(title="II", number="II", activities=[_activity("2.", "II.2", 6)]),
    ]
    rows = file_rows(sections, {"1", "2"})
    assert [r.key for r in rows] == ["1", "2", "2"]
    diff = diff_rows({"1": values("Строка 3"), "2": values("Строка 4")}, rows)
    assert [item.row for item in diff.refused] == [4, 6]
    assert diff.removed == []


def test_a_row_the_reader_numbered_itself_has_no_number():
    sections = [
        ParsedSection(title="I", activities=[ParsedActivity(number="1", title="Без номера", source_row=3)])
    ]
    (only,) = file_rows(sections, {"1"})
    assert only.key == ""
