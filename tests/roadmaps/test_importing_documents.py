"""Word and Excel documents as real plans come: approval blocks and signatures around the roadmap
table, approving acts in «Приложение к …» form, titles over several paragraphs, Excel sheets with
a merged title, hidden columns, an instructions sheet, real dates and numbers."""

import datetime
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402
from roadmaps.importing.textutil import find_approving_act  # noqa: E402

HEADER = ["№", "Мероприятие", "Срок", "Ответственный"]


def _fill(table, rows: list[list[str]]) -> None:
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text


def docx(paragraphs: list[str], tables_before=(), rows=None, tables_after=()) -> bytes:
    from docx import Document

    document = Document()
    for small in tables_before:
        _fill(document.add_table(rows=len(small), cols=len(small[0])), small)
    for text in paragraphs:
        document.add_paragraph(text)
    rows = rows or [HEADER, ["1.", "Педсовет", "Август 2024", "Директор"],
                    ["2.", "Семинар", "Май 2024", "ИМЦ"]]
    _fill(document.add_table(rows=len(rows), cols=len(rows[0])), rows)
    for small in tables_after:
        _fill(document.add_table(rows=len(small), cols=len(small[0])), small)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_approval_and_signature_tables_around_the_roadmap_are_skipped_with_a_note():
    approval = [["Лист согласования", ""], ["Заместитель директора", "Петрова А.А."]]
    signatures = [["Директор", "Иванов И.И."], ["Исполнитель", "Сидорова О.О."]]
    roadmap = parse_file(docx(["План работы школы на 2024 год"], [approval], None, [signatures]), "p.docx")
    assert [a.title for a in roadmap.activities] == ["Педсовет", "Семинар"]
    notes = [w.message for w in roadmap.warnings if w.row == 0]
    assert any("Таблица 1 перед основной («Лист согласования»" in n for n in notes)
    assert any("Таблица 3 после основной («Директор»" in n for n in notes)
    assert roadmap.title == "План работы школы на 2024 год"


def test_the_roadmap_table_is_the_best_scored_even_when_a_small_table_has_a_header_like_row():
    small = [["№", "Мероприятие"], ["", ""]]
    rows = [HEADER, *[[f"{n}.", f"Мероприятие {n}", "Май 2024", "Отдел"] for n in range(1, 6)]]
    roadmap = parse_file(docx(["План мероприятий"], [small], rows), "p.docx")
    assert len(roadmap.activities) == 5


def test_a_title_over_several_paragraphs_is_joined_without_the_approval_block():
    paragraphs = ["УТВЕРЖДАЮ", "Директор МБОУ СОШ № 5", "__________ И.И. Иванов", "«__» ________ 2024 г.",
                  "ПЛАН", "мероприятий по подготовке к ГИА", "на 2024-2025 учебный год"]
    roadmap = parse_file(docx(paragraphs), "p.docx")
    assert roadmap.title == "ПЛАН мероприятий по подготовке к ГИА на 2024-2025 учебный год"
    assert roadmap.period == (2024, 2025)


def test_a_title_before_the_act_line_does_not_swallow_it():
    paragraphs = ["Дорожная карта", "по развитию дополнительного образования",
                  "Приложение № 3 к приказу Управления образования от 14 марта 2019 г. № 210"]
    roadmap = parse_file(docx(paragraphs), "p.docx")
    assert roadmap.title == "Дорожная карта по развитию дополнительного образования"
    act = roadmap.approving_act
    assert (act.kind, act.issuer, act.number, act.date) == (
        "приказ", "Управления образования", "210", datetime.date(2019, 3, 14))


def test_approving_acts_are_found_in_appendix_form():
    act = find_approving_act("Приложение к постановлению администрации города Томска от 01.02.2024 № 15")
    assert (act.kind, act.issuer, act.number, act.date) == (
        "постановление", "администрации города Томска", "15", datetime.date(2024, 2, 1))
    act = find_approving_act("УТВЕРЖДЕН распоряжением Департамента от 19.03.2021 № 461-р")
    assert (act.kind, act.number) == ("распоряжение", "461-р")


def workbook_bytes(build) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_plan_with_merged_title_hidden_column_instructions_dates_and_numbers():
    def build(workbook):
        help_sheet = workbook.active
        help_sheet.title = "Инструкция"
        help_sheet.append(["Заполните лист «План»: одна строка — одно мероприятие."])
        sheet = workbook.create_sheet("План")
        sheet.append(["План мероприятий по профориентации на 2024 год"])
        sheet.merge_cells("A1:F1")
        sheet.append([])
        sheet.append(["Утвержден приказом школы от 01.02.2024 № 7"])
        sheet.append(["№", "Мероприятие", "Служебный код", "Срок", "Ответственный", "Результат"])
        sheet.append([1.0, "Ярмарка профессий", "X-17", datetime.datetime(2024, 3, 15), "Завуч", "Проведена"])
        sheet.append([2.0, "Экскурсия на завод", "X-18", datetime.date(2024, 4, 20), "Классный рук.", 35])
        sheet.column_dimensions["C"].hidden = True
        sheet.freeze_panes = "A5"

    roadmap = parse_file(workbook_bytes(build), "plan.xlsx")
    assert roadmap.title == "План мероприятий по профориентации на 2024 год"
    assert roadmap.approving_act.number == "7"
    rows = [(a.number, a.deadline_text, a.planned_result, a.comment) for a in roadmap.activities]
    assert rows == [("1", "15.03.2024", "Проведена", ""), ("2", "20.04.2024", "35", "")]
    notes = [w.message for w in roadmap.warnings]
    assert "Лист «Инструкция» не похож на таблицу мероприятий и пропущен." in notes
    assert "Скрытые столбцы листа «План» пропущены: 1." in notes
    assert not any("Служебный код" in n for n in notes)
