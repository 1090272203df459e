"""Small rules of the importer: column wording, cell cleaning, responsible splitting, realignment."""

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.deadlines import names_a_rule  # noqa: E402
from roadmaps.importing import ImportRefused, parse_file  # noqa: E402
from roadmaps.importing.align import align  # noqa: E402
from roadmaps.importing.columns import missing_required, recognise  # noqa: E402
from roadmaps.importing.responsible import split_responsible  # noqa: E402
from roadmaps.importing.structure import split_heading  # noqa: E402
from roadmaps.importing.textutil import is_date_like, normalise, split_revisions  # noqa: E402


@pytest.mark.parametrize("header, field", [
    ("№", "number"), ("N пп.", "number"), ("п/п", "number"), ("№ п/п", "number"),
    ("Наименование мероприятия", "title"), ("Мероприятия", "title"),
    ("Все мероприятия региональной «дорожной карты» проекта «500+» ¹⁾", "title"),
    ("Срок реализации", "deadline"), ("Сроки исполнения", "deadline"), ("Сроки проведения", "deadline"),
    ("Планировая дата проведения мероприятия", "deadline"), ("Планируемая дата", "deadline"),
    ("Фактическая дата проведения мероприятия", "actual"),
    ("Ответственный исполнитель", "responsible"), ("Ответственные", "responsible"),
    ("Организация, ответственная за проведение мероприятия", "responsible"),
    ("Планируемые результаты: количественные и качественные", "result"),
    ("Характеристика результатов", "result"), ("Региональные показатели результативности", "result"),
    ("Место проведения мероприятия", "place"), ("Место и формат проведения мероприятия", "place"),
    ("Цель и задачи мероприятия", "goal"), ("Целевая аудитория мероприятия", "audience"),
    ("Ссылка на размещённые подтверждающие документы ³⁾", "link"), ("Дополнительная ссылка", "link"),
    ("Комментарий", "comment"), ("Код региона", "region_code"), ("Регион", "region_name"),
    ("Цвет", None), ("", None),
])
def test_columns_are_recognised_by_their_wording(header, field):
    assert recognise(header) == field


def test_only_the_title_column_is_required_and_named_for_a_person():
    assert missing_required(["number", "deadline", "comment"]) == ["Мероприятие"]
    assert missing_required(["number", "title", "comment"]) == []


@pytest.mark.parametrize("raw, clean", [
    ("С 13.01. по \n28.01.2020 ", "С 13.01. по 28.01.2020"),
    ("с 01.09.2020\n(ежегодно)", "с 01.09.2020 (ежегодно)"),
    ("01.07.2020\n\n01.07.2021", "01.07.2020\n01.07.2021"),
    ("<p>Март-декабрь   2021 г.</p>", "Март-декабрь 2021 г."),
    ("[bookmark: _GoBack]Оформление", "Оформление"),
    ("Программы:\n- сетевые;\n- модульные", "Программы:\n- сетевые;\n- модульные"),
])
def test_cells_are_cleaned_keeping_list_line_breaks(raw, clean):
    assert normalise(raw) == clean


@given(st.text(alphabet="абв АБВ12.()-,\n\t:;«»", max_size=80))
def test_cleaning_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


def test_amendment_notes_are_taken_out_of_a_cell():
    cell = "Март - апрель 2021 года\n(в ред. Постановления Правительства от 26.05.2020 N 242)"
    text, notes = split_revisions(cell)
    assert text == "Март - апрель 2021 года"
    assert notes == ["в ред. Постановления Правительства от 26.05.2020 N 242"]


@pytest.mark.parametrize("text, names", [
    ("РМЦ, МОЦ (по согласованию)", [("РМЦ", False), ("МОЦ", True)]),
    ("Отдел образования, МКУ ИМЦ, отдел по делам культуры, спорта и вопросам молодежи",
     [("Отдел образования", False), ("МКУ ИМЦ", False),
      ("отдел по делам культуры, спорта и вопросам молодежи", False)]),
    ("МОЦ (по согласованию), организации, реализующие программы дополнительного образования"
     " (по согласованию)",
     [("МОЦ", True), ("организации, реализующие программы дополнительного образования", True)]),
    ("Образовательные организации\nОтдел образования; МКУ ИМЦ",
     [("Образовательные организации", False), ("Отдел образования", False), ("МКУ ИМЦ", False)]),
    ("Специалисты (согласно списка, утвержденного распоряжением)",
     [("Специалисты (согласно списка, утвержденного распоряжением)", False)]),
])
def test_responsible_cells_split_into_clean_organisation_names(text, names):
    assert [(r.name, r.by_agreement) for r in split_responsible(text)] == names


def test_named_people_are_kept_apart_from_organisations():
    assert [(r.name, r.person) for r in split_responsible("Гимназия № 1 – директор Петров И.И.")] == [
        ("Гимназия № 1", "директор Петров И.И.")]
    assert [(r.name, r.person) for r in split_responsible("Иванова А.Б., методист Методического центра")] == [
        ("Методического центра", "Иванова А.Б., методист")]


@pytest.mark.parametrize("text, parts", [
    ("Раздел I. Организационная деятельность", ("I", "Организационная деятельность")),
    ("1. Порядок обновления программ", ("1", "Порядок обновления программ")),
    ("Создание детского технопарка", ("", "Создание детского технопарка")),
])
def test_section_headings_give_number_and_title(text, parts):
    assert split_heading(text) == parts


@pytest.mark.parametrize("text, expected", [
    ("21.01.2021", True), ("Март - апрель 2021 г.", True), ("Еженедельно", True), ("2019-2024", True),
    ("Еженедельная рассылка на почту участников", False), ("https://example.org/21.01.2021", False),
    ("42 школы приняли участие (выполнено)", False),
])
def test_date_wordings_are_told_from_other_cells(text, expected):
    assert is_date_like(text) is expected


def test_a_row_that_lost_columns_is_aligned_by_what_its_cells_contain():
    fields = ["title", "goal", "place", "deadline", "actual", "result", "responsible", "audience", "link"]
    cells = ["Семинар", "Поддержка школ", "Август 2021 г.", "Протокол рабочей группы", "", ""]
    placed = [fields[i] if i >= 0 else None for i in align(cells, fields)]
    assert placed[:4] == ["title", "goal", "deadline", "result"]


def test_csv_with_semicolons_is_read():
    text = "План на 2024 год\n№;Мероприятие;Сроки;Ответственный\n1;Совещание;Май 2024;Отдел образования\n"
    roadmap = parse_file(text.encode("cp1251"), "plan.csv")
    assert roadmap.source_format == "csv" and roadmap.title == "План на 2024 год"
    rows = [(a.number, a.title, a.deadline_text) for a in roadmap.activities]
    assert rows == [("1", "Совещание", "Май 2024")]


def test_the_json_form_is_plain_data():
    text = "№\tМероприятие\tСроки\tОтветственный\n1\tСовещание\t01.02.2024\tОтдел (по согласованию)\n"
    roadmap = parse_file(text.encode("utf-8"), "plan.tsv")
    data = json.loads(json.dumps(roadmap.to_json_dict(), ensure_ascii=False))
    activity = data["sections"][0]["activities"][0]
    assert activity["deadline_text"] == "01.02.2024"
    assert activity["responsible"] == [{"name": "Отдел", "by_agreement": True, "person": ""}]
    assert data["period"] == [2024, 2024]


_PIECES = ["№", "Мероприятие", "Сроки", "Ответственный", "1.1.", "Раздел I. Общее", "Май 2024", "\t", "\n",
           "\n\n", " ", "(в ред. Приказа от 01.02.2024 N 5)", "Отдел (по согласованию)", "2024", "http://a.ru"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.sampled_from(["a.txt", "a.tsv", "a.csv"]))
def test_any_text_is_either_read_or_refused_with_a_message(pieces, filename):
    try:
        roadmap = parse_file("".join(pieces).encode("utf-8"), filename)
    except ImportRefused as refused:
        assert refused.message.endswith(".") or refused.message.startswith("Не найдены столбцы")
    else:
        assert roadmap.activities or roadmap.indicators


@pytest.mark.parametrize("text", [
    "до 20 числа каждого месяца",
    "ежемесячно, не позднее 3-го числа",
    "ежеквартально, до 5 числа месяца, следующего за отчётным",
    "в течение 2025-2026 учебного года",
    "по итогам каждой четверти",
    "в каникулярный период",
    "1 раз в полугодие",
    "не реже одного раза в квартал",
    "еженедельно по пятницам",
    "по мере поступления",
    "по запросу Минпросвещения России",
    "в течение 5 рабочих дней после утверждения приказа",
    "по итогам полугодия",
])
def test_rule_wordings_the_parser_reads_are_deadline_cells(text):
    assert is_date_like(text)
    # The importer and the parser share one vocabulary: what the column hint takes is what the parser reads.
    assert names_a_rule(text) or "еженедельно" in text


@pytest.mark.parametrize("text", [
    "Проведение семинара для учителей", "Число участников", "Запросить сведения у школ", "Раз в жизни",
])
def test_cells_merely_sharing_a_word_with_rule_wordings_are_not_deadlines(text):
    assert not is_date_like(text)
