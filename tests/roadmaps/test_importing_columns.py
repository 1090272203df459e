"""Recognising columns by real header wordings, header rows of two levels, numbering rows and
repeated headers, and numbers kept as written."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402
from roadmaps.importing.columns import normalise_header, recognise  # noqa: E402


def tsv(*rows: list[str]) -> bytes:
    return "\n".join("\t".join(cells) for cells in rows).encode()


def messages(roadmap) -> list[str]:
    return [w.message for w in roadmap.warnings]


@pytest.mark.parametrize("header, field", [
    ("Основные направления работы", "title"), ("Содержание работы", "title"),
    ("Наименование работ", "title"), ("Мероприятие", "title"), ("Направления деятельности", "title"),
    ("Вид работы", "title"), ("Тема", "title"),
    ("Участники", "responsible"), ("Исполнитель", "responsible"), ("Исполнители", "responsible"),
    ("Ответствен-\nный исполни-\nтель", "responsible"), ("ОТВЕТСТВЕННЫЕ", "responsible"),
    ("Ответств.", "responsible"), ("Кто проводит", "responsible"),
    ("Срок исполне-\nния", "deadline"), ("Дата проведения", "deadline"), ("Время проведения", "deadline"),
    ("Ожидаемый результат", "result"), ("Итоговый документ", "result_document"),
    ("Форма отчётности", "result"), ("Отметка о выполнении", "actual"),
    ("Охват", "audience"), ("Категория участников", "audience"),
    ("Наименование показателя", "indicator_name"), ("Ед. изм.", "unit"), ("2025 год", "year"),
    ("Источник финансирования", "comment"),
])
def test_real_header_wordings_and_their_variants_are_recognised(header, field):
    assert recognise(header) == field


def test_a_header_broken_by_hyphens_line_breaks_and_case_is_read_whole():
    assert normalise_header("Ответствен-\nный  ИСПОЛНИТЕЛЬ") == "ответственный исполнитель"
    assert normalise_header("Меро\u00adприятие") == "мероприятие"
    assert normalise_header("Ответствен- ный") == "ответственный"


def test_a_plan_with_no_responsible_or_result_column_is_read_and_says_what_is_missing():
    roadmap = parse_file(tsv(["№", "Содержание работы", "Сроки"], ["1.", "Педсовет", "Август 2024"]), "p.tsv")
    assert [(a.number_as_written, a.title, a.deadline_text) for a in roadmap.activities] == [
        ("1.", "Педсовет", "Август 2024")]
    assert "В таблице нет столбцов: Ответственный, Результат." in messages(roadmap)


def test_participants_stand_for_the_responsible_column():
    data = tsv(["№ п/п", "Основные направления работы", "Срок", "Участники"],
               ["1", "Классные часы", "Сентябрь 2024", "Классные руководители"])
    assert parse_file(data, "p.tsv").activities[0].responsible_text == "Классные руководители"


def test_unrecognised_columns_are_named_in_the_warnings():
    data = tsv(["№", "Мероприятие", "Срок", "Цвет"], ["1", "Совещание", "Май 2024", "синий"])
    assert "Столбец «Цвет» не распознан и пропущен." in messages(parse_file(data, "p.tsv"))


def test_an_empty_header_cell_gets_its_field_from_what_the_column_holds():
    data = tsv(["№", "Мероприятие", "", "Ответственный"],
               ["1", "Совещание", "Май 2024", "Отдел образования"],
               ["2", "Семинар", "01.06.2024", "ИМЦ"])
    roadmap = parse_file(data, "p.tsv")
    assert [a.deadline_text for a in roadmap.activities] == ["Май 2024", "01.06.2024"]
    assert "Столбец 3 без заголовка прочитан по содержимому как «Сроки»." in messages(roadmap)


def test_a_table_without_a_number_column_is_numbered_in_order_with_a_warning():
    data = tsv(["Мероприятие", "Срок"], ["Совещание", "Май 2024"], ["Семинар", "Июнь 2024"])
    roadmap = parse_file(data, "p.tsv")
    assert [(a.number, a.number_as_written) for a in roadmap.activities] == [("1", ""), ("2", "")]
    assert any("нет столбца «№»" in m for m in messages(roadmap))


def test_numbers_are_kept_as_written_and_keyed_without_trailing_dots():
    data = tsv(["№", "Мероприятие", "Срок"], ["1.", "Совещание", "Май"], ["1.1.", "Семинар", "Июнь"])
    roadmap = parse_file(data, "p.tsv")
    assert [(a.number, a.number_as_written) for a in roadmap.activities] == [("1", "1."), ("1.1", "1.1.")]


def test_a_merged_deadline_over_start_and_end_is_one_header_and_one_range():
    data = tsv(["№", "Мероприятие", "Срок исполнения", "", "Ответственный"],
               ["", "", "начало", "окончание", ""],
               ["1", "2", "3", "4", "5"],
               ["1", "Ремонт кабинета", "01.06.2024", "31.08.2024", "Завхоз"])
    roadmap = parse_file(data, "p.tsv")
    assert len(roadmap.activities) == 1
    activity = roadmap.activities[0]
    assert (activity.title, activity.deadline_text, activity.responsible_text) == (
        "Ремонт кабинета", "01.06.2024 - 31.08.2024", "Завхоз")


def test_a_merged_coverage_over_children_and_parents_keeps_both_labelled():
    data = tsv(["№", "Мероприятие", "Срок", "Охват", ""],
               ["", "", "", "детей", "родителей"],
               ["1", "Родительское собрание", "Сентябрь", "120", "80"])
    activity = parse_file(data, "p.tsv").activities[0]
    assert activity.target_audience == "детей: 120\nродителей: 80"


def test_column_numbers_and_the_header_repeated_on_the_next_page_are_skipped():
    header = ["№", "Мероприятие", "Срок", "Ответственный"]
    data = tsv(header, ["1", "2", "3", "4"], ["1", "Совещание", "Май", "Отдел"],
               header, ["1", "2", "3", "4"], ["2", "Семинар", "Июнь", "ИМЦ"])
    roadmap = parse_file(data, "p.tsv")
    assert [a.title for a in roadmap.activities] == ["Совещание", "Семинар"]
