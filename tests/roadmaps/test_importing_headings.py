"""Headings of any depth, sections numbered in the row's first cells, numbering restarted in each
section, amendment rows and deadlines written inside an activity's name."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402
from roadmaps.importing.headings import heading_kind  # noqa: E402

HEADER = ["№", "Мероприятие", "Срок", "Ответственный"]


def tsv(*rows: list[str]) -> bytes:
    return "\n".join("\t".join(cells) for cells in rows).encode()


def heading(text: str) -> list[str]:
    return [text, "", "", ""]


def act(number: str, title: str, deadline: str = "2024", responsible: str = "Отдел") -> list[str]:
    return [number, title, deadline, responsible]


def test_three_heading_levels_are_kept_with_their_full_path():
    data = tsv(HEADER,
               heading("Подпрограмма 1. Развитие дошкольного образования"),
               heading("Цель 1. Доступность"),
               heading("Задача 1.1. Новые места"),
               act("1.1.1", "Строительство сада"),
               heading("Задача 1.2. Кадры"),
               act("1.2.1", "Курсы воспитателей"),
               heading("Цель 2. Качество"),
               heading("Задача 2.1. Оценка"),
               act("2.1.1", "Мониторинг"),
               heading("Подпрограмма 2. Общее образование"),
               heading("Цель 1. Инфраструктура"),
               heading("Задача 1.1. Ремонт"),
               act("1.1.2", "Ремонт школ"))
    roadmap = parse_file(data, "p.tsv")
    paths = [([h.text for h in s.ancestors], s.number, s.title) for s in roadmap.sections]
    assert paths == [
        (["Подпрограмма 1. Развитие дошкольного образования", "Цель 1. Доступность"], "1.1", "Новые места"),
        (["Подпрограмма 1. Развитие дошкольного образования", "Цель 1. Доступность"], "1.2", "Кадры"),
        (["Подпрограмма 1. Развитие дошкольного образования", "Цель 2. Качество"], "2.1", "Оценка"),
        (["Подпрограмма 2. Общее образование", "Цель 1. Инфраструктура"], "1.1", "Ремонт"),
    ]
    assert [s.level for s in roadmap.sections] == [2, 2, 2, 2]
    assert roadmap.sections[0].parent_title == "Цель 1. Доступность"
    assert [a.title for a in roadmap.sections[3].activities] == ["Ремонт школ"]


def test_numbered_and_unnumbered_heading_levels_nest_by_their_kind():
    data = tsv(HEADER,
               heading("Раздел I. Воспитательная работа"),
               heading("1. Направление «Патриот»"),
               heading("Классные часы"),
               act("1", "Урок мужества"),
               heading("Экскурсии"),
               act("2", "Музей"),
               heading("2. Направление «Здоровье»"),
               act("3", "День здоровья"),
               heading("Раздел II. Методическая работа"),
               act("4", "Педсовет"))
    roadmap = parse_file(data, "p.tsv")
    assert [([h.text for h in s.ancestors], s.title) for s in roadmap.sections] == [
        (["Раздел I. Воспитательная работа", "1. Направление «Патриот»"], "Классные часы"),
        (["Раздел I. Воспитательная работа", "1. Направление «Патриот»"], "Экскурсии"),
        (["Раздел I. Воспитательная работа"], "Направление «Здоровье»"),
        ([], "Методическая работа"),
    ]


def test_heading_kinds_tell_keywords_numbering_and_plain_text_apart():
    assert heading_kind("Подпрограмма 2. Общее образование") == "keyword:подпрограмм"
    assert heading_kind("Задача: обновить программы") == "keyword:задач"
    assert heading_kind("II. Методическая работа") == "roman"
    assert heading_kind("2.1. Кадры") == "arabic:2"
    assert heading_kind("Методическая работа") == "plain"


def test_roman_sections_written_in_the_first_or_second_cell_are_headings():
    data = tsv(HEADER,
               ["I.", "Организационные мероприятия", "", ""],
               act("1", "Совещание"),
               ["II", "Методические мероприятия", "", ""],
               act("2", "Семинар"),
               ["", "III. Контроль", "", ""],
               act("3", "Проверка"))
    roadmap = parse_file(data, "p.tsv")
    assert [(s.number, s.title) for s in roadmap.sections] == [
        ("I", "Организационные мероприятия"), ("II", "Методические мероприятия"), ("III", "Контроль")]
    assert [len(s.activities) for s in roadmap.sections] == [1, 1, 1]


def test_numbering_restarted_in_each_section_is_qualified_and_kept_as_written():
    data = tsv(HEADER,
               heading("Раздел I. Организация"), act("1.", "Совещание"), act("2.", "Приказ"),
               heading("Раздел II. Методика"), act("1.", "Семинар"), act("2.", "Вебинар"), act("3.", "Курсы"))
    roadmap = parse_file(data, "p.tsv")
    assert [(a.number, a.number_as_written) for a in roadmap.activities] == [
        ("I.1", "1."), ("I.2", "2."), ("II.1", "1."), ("II.2", "2."), ("II.3", "3.")]
    assert any("начинается заново в каждом разделе" in w.message for w in roadmap.warnings)


def test_an_amendment_row_becomes_a_revision_note_not_a_section():
    data = tsv(HEADER,
               heading("1. Организация"),
               act("1.1", "Совещание"),
               heading("(Пункт изложен в редакции приказа Министерства образования от 01.02.2024 № 15)"),
               act("1.2", "Семинар"))
    roadmap = parse_file(data, "p.tsv")
    assert [s.title for s in roadmap.sections] == ["Организация"]
    assert roadmap.activities[0].revision_refs == [
        "Пункт изложен в редакции приказа Министерства образования от 01.02.2024 № 15"]
    assert [(r.kind, r.number, r.issuer) for r in roadmap.revisions] == [
        ("приказ", "15", "Министерства образования")]


def test_a_deadline_inside_the_name_is_taken_when_the_deadline_cell_is_empty():
    data = tsv(HEADER,
               act("1", "Подготовить отчёт (в срок до 1 июня)", deadline="", responsible="Завуч"),
               act("2", "Провести смотр (в срок до 1 мая)", deadline="Апрель 2024", responsible="Завуч"))
    first, second = parse_file(data, "p.tsv").activities
    assert (first.title, first.deadline_text) == ("Подготовить отчёт", "в срок до 1 июня")
    assert (second.title, second.deadline_text) == ("Провести смотр (в срок до 1 мая)", "Апрель 2024")
