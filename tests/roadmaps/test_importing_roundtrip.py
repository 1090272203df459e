"""Writers produce .xlsx/.docx files that the readers read back into the same roadmap; merged
cells in Word and Excel tables are read once."""

import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import (  # noqa: E402
    ParsedActivity,
    ParsedIndicator,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
    parse_file,
)
from roadmaps.importing.read_docx import read_docx  # noqa: E402
from roadmaps.importing.writers import write_docx, write_xlsx  # noqa: E402

SEEDS = ROOT / ".." / "shared" / "seeds"
NAMES = [
    "000_b8ff5a4cd666ead9.txt",
    "001_f2c705fd06369db2.txt",
    "002_25be7b2999adf299.txt",
    "003_da3f55252a5023c0.txt",
    "004_d2f1526600deadbf.txt",
]
WRITERS = {"xlsx": write_xlsx, "docx": write_docx}


def comparable(roadmap) -> dict:
    """Everything but where rows were found and what the reader warned about."""
    data = roadmap.to_json_dict()
    data.pop("warnings")
    data.pop("source_format")
    for section in data["sections"]:
        for activity in section["activities"]:
            activity.pop("source_row")
            # writers.py writes the activity's key («1.1»), not the number as written («1.1.»)
            activity.pop("number_as_written")
    return data


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_seed_written_as_a_real_file_and_read_back_gives_the_same_roadmap(name, kind):
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed documents are not available: {path} is absent (they live outside the project)")
    original = parse_file(path.read_bytes(), name)
    data = WRITERS[kind](original)
    again = parse_file(data, f"roadmap.{kind}")
    assert again.source_format == kind
    assert comparable(again) == comparable(original)
    assert len(again.activities) == len(original.activities)


def made_up_roadmap() -> ParsedRoadmap:
    first = ParsedActivity(
        number="1.1", title="Проведение семинара для педагогов", deadline_text="01.03.2024\n01.03.2025",
        responsible_text="Управление образования\nШкола № 5 (по согласованию)",
        responsible=[ParsedResponsible("Управление образования"), ParsedResponsible("Школа № 5", True)],
        planned_result="Проведён семинар", done=True, links=["https://example.org/a"],
        indicators=[ParsedIndicator("Доля педагогов, прошедших обучение", "%",
                                    {2024: Decimal("40"), 2025: Decimal("55.5")})],
    )
    second = ParsedActivity(number="1.2", title="Мониторинг", deadline_text="Ежеквартально",
                            responsible_text="Методический центр", planned_result="Справка",
                            responsible=[ParsedResponsible("Методический центр")])
    section = ParsedSection(title="Методическая работа", number="1", activities=[first, second],
                            parent_title="Задача 1. Кадры")
    return ParsedRoadmap(title="План мероприятий на 2024-2025 годы", period=(2024, 2025),
                         sections=[section], goal="Рост квалификации")


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_made_up_roadmap_with_indicators_and_a_group_heading_round_trips(kind):
    original = made_up_roadmap()
    again = parse_file(WRITERS[kind](original), f"plan.{kind}")
    assert comparable(again) == comparable(original)


def test_docx_merged_cells_appear_once():
    from docx import Document

    document = Document()
    document.add_paragraph("План мероприятий")
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, ["№", "Мероприятие", "Срок", "Ответственный"], strict=False):
        cell.text = text
    table.rows[1].cells[0].merge(table.rows[1].cells[3]).text = "Раздел I. Общие вопросы"
    for row, (number, title) in zip(table.rows[2:], [("1", "Совещание"), ("2", "Семинар")], strict=False):
        row.cells[0].text, row.cells[1].text, row.cells[2].text = number, title, "Май 2024"
    table.rows[2].cells[3].merge(table.rows[3].cells[3]).text = "Отдел образования"
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()

    grid = read_docx(data)
    assert grid.preamble[0] == "План мероприятий"
    assert grid.rows[1].cells == ["Раздел I. Общие вопросы", "", "", ""] and grid.rows[1].full_span
    assert grid.rows[2].cells[3] == "Отдел образования" and grid.rows[3].cells[3] == ""

    roadmap = parse_file(data, "plan.docx")
    assert [(s.number, s.title) for s in roadmap.sections] == [("I", "Общие вопросы")]
    assert [a.responsible_text for a in roadmap.activities] == ["Отдел образования", ""]


def test_xlsx_merged_heading_rows_become_sections_and_values_appear_once():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Дорожная карта на 2024 год"])
    sheet.append([])
    sheet.append(["N п/п", "Наименование мероприятия", "Сроки исполнения", "Ответственный исполнитель"])
    sheet.append(["Организационные мероприятия"])
    sheet.merge_cells("A4:D4")
    sheet.append([1, "Совещание", "Январь 2024", "Управление образования"])
    sheet.append([2, "Семинар", "Февраль 2024", None])
    sheet.merge_cells("D5:D6")
    buffer = io.BytesIO()
    workbook.save(buffer)

    roadmap = parse_file(buffer.getvalue(), "plan.xlsx")
    assert roadmap.title == "Дорожная карта на 2024 год" and roadmap.period == (2024, 2024)
    assert [s.title for s in roadmap.sections] == ["Организационные мероприятия"]
    assert [(a.number, a.title, a.deadline_text) for a in roadmap.activities] == [
        ("1", "Совещание", "Январь 2024"), ("2", "Семинар", "Февраль 2024")]
    assert [a.responsible_text for a in roadmap.activities] == ["Управление образования", ""]


def test_written_xlsx_keeps_line_breaks_in_deadline_cells():
    from openpyxl import load_workbook

    data = write_xlsx(made_up_roadmap())
    sheet = load_workbook(io.BytesIO(data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "01.03.2024\n01.03.2025" in values
    assert "Сроки" in values and "Ответственный" in values
