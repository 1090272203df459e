"""The importer reads the five real roadmap documents in ../shared/seeds (acceptance data)."""

import datetime
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402

SEEDS = ROOT / ".." / "shared" / "seeds"
NAMES = {
    "000": "000_b8ff5a4cd666ead9.txt",
    "001": "001_f2c705fd06369db2.txt",
    "002": "002_25be7b2999adf299.txt",
    "003": "003_da3f55252a5023c0.txt",
    "004": "004_d2f1526600deadbf.txt",
}
DATE = re.compile(r"\d{1,2}\s?\.\s?\d{1,2}")


def seed_bytes(key: str) -> bytes:
    path = SEEDS / NAMES[key]
    if not path.is_file():
        pytest.skip(f"seed documents are not available: {path} is absent (they live outside the project)")
    return path.read_bytes()


def seed(key: str):
    return parse_file(seed_bytes(key), NAMES[key])


def by_number(roadmap, number):
    return next(a for a in roadmap.activities if a.number == number)


def by_row(roadmap, row):
    return next(a for a in roadmap.activities if a.source_row == row)


@pytest.mark.parametrize("key", sorted(NAMES))
def test_no_deadline_text_keeps_an_amendment_note_and_every_field_is_clean(key):
    roadmap = seed(key)
    for activity in roadmap.activities:
        assert "в ред." not in activity.deadline_text
        for text in (activity.title, activity.deadline_text, activity.planned_result, activity.actual_text):
            assert "<p>" not in text and "</p>" not in text and "[bookmark" not in text
            assert "  " not in text and text == text.strip()


def test_seed_000_has_four_sections_and_23_activities_with_deadlines_as_written():
    roadmap = seed("000")
    assert next((s.number, s.title) for s in roadmap.sections) == ("I", "Организационная деятельность")
    assert [s.number for s in roadmap.sections] == ["I", "II", "III", "IV"]
    assert [len(s.activities) for s in roadmap.sections] == [6, 10, 4, 3]
    assert [a.number for a in roadmap.activities] == [str(n) for n in range(1, 24)]
    assert by_number(roadmap, "1").deadline_text == "С 13.01. по 28.01.2020"
    assert by_number(roadmap, "2").deadline_text == "С 13.01. по 28.01.2020"  # a wrapped line joined
    assert by_number(roadmap, "4").deadline_text == "С 20.02.по 03.03.2020"
    assert by_number(roadmap, "9").deadline_text == "До 17.03."
    assert by_number(roadmap, "17").deadline_text == "С 01.11. по 31.11.2020"
    assert by_number(roadmap, "19").deadline_text == "16-01.06.2020"
    assert by_number(roadmap, "21").deadline_text == "С10-15.11.2020"
    assert roadmap.title.startswith("«План апробации")
    assert roadmap.period == (2020, 2020)


def test_seed_000_responsible_cells_split_into_organisations_and_people():
    roadmap = seed("000")
    responsible = by_number(roadmap, "5").responsible
    assert responsible[0].person == "Зырянова Е.В., консультант"
    assert responsible[1].name == "Департамент общего образования Томской области"
    assert responsible[1].person == "Курасова Н.Н., директор"
    assert [r.name for r in by_number(roadmap, "3").responsible] == [
        "Департамент общего образования Томской области",
        "ОГБОУДО «Областной центр дополнительного образования»",
    ]


def test_seed_001_has_five_sections_and_29_activities_with_one_date_per_line():
    roadmap = seed("001")
    assert len(roadmap.sections) == 5
    assert len(roadmap.activities) == 29
    assert roadmap.sections[0].number == "1" and roadmap.sections[0].title.startswith("Порядок обновления")
    assert roadmap.sections[3].title.startswith("Кадровое обеспечение")
    assert by_number(roadmap, "1.1").deadline_text == "\n".join(f"01.07.{y}" for y in range(2020, 2025))
    assert by_number(roadmap, "1.6").deadline_text == "с 01.09.2020 (ежегодно)"
    assert by_number(roadmap, "1.7").deadline_text.split("\n") == ["31.05.2020"] + [
        f"31. 05.{y}" for y in range(2021, 2025)
    ]
    assert by_number(roadmap, "3.3").deadline_text.endswith("31.12.2024\nВ течение года")
    assert by_number(roadmap, "3.7").deadline_text.startswith("01.01.2020 -31.12.2024 (1 раз в год")
    assert {"1.9", "1.10", "2.3"} <= {a.number for a in roadmap.activities}
    assert roadmap.approving_act.kind == "приказ" and roadmap.approving_act.date is None
    assert roadmap.period == (2020, 2024)
    assert roadmap.goal.startswith("Внедрение основных положений")


def test_seed_002_has_seven_sections_50_activities_the_approving_act_and_its_revision():
    roadmap = seed("002")
    assert len(roadmap.sections) == 7
    assert len(roadmap.activities) == 50
    assert [len(s.activities) for s in roadmap.sections] == [7, 8, 5, 2, 5, 16, 7]
    act = roadmap.approving_act
    assert (act.kind, act.number, act.date) == ("постановление", "291", datetime.date(2019, 7, 5))
    assert act.issuer == "Правительства Сахалинской области"
    assert [(r.kind, r.number, r.date) for r in roadmap.revisions] == [
        ("постановление", "242", datetime.date(2020, 5, 26))
    ]
    assert roadmap.title.startswith("ПЛАН ДЕЯТЕЛЬНОСТИ РЕГИОНАЛЬНОГО МОДЕЛЬНОГО ЦЕНТРА")
    assert roadmap.period == (2020, 2022)


def test_seed_002_amendment_notes_become_revision_references_not_deadline_text():
    roadmap = seed("002")
    amended = by_number(roadmap, "1.3")
    assert amended.deadline_text == "С 1 января 2020 года постоянно"
    assert len(amended.revision_refs) == 1 and "от 26.05.2020 N 242" in amended.revision_refs[0]
    assert by_number(roadmap, "1.4").revision_refs == []
    assert by_number(roadmap, "1.2").deadline_text == "По отдельному плану, утвержденному распоряжением МОСО"
    assert by_number(roadmap, "2.1").deadline_text == "2020 - 2024"
    assert by_number(roadmap, "2.2").deadline_text == "Март - апрель 2020 года"
    assert by_number(roadmap, "6.14").deadline_text == "Ноябрь, март, июнь - август ежегодно"
    assert by_number(roadmap, "7.7").deadline_text == "По графику, начиная с января 2021 года"
    assert sum(1 for a in roadmap.activities if a.revision_refs) == 16


def test_seed_002_multi_paragraph_names_and_by_agreement_responsibles():
    roadmap = seed("002")
    assert by_number(roadmap, "3.2").title.count("\n") == 4  # list items of the name kept together
    responsible = by_number(roadmap, "2.1").responsible
    assert [(r.name, r.by_agreement) for r in responsible[:3]] == [
        ("РМЦ", False), ("МОЦ", True), ("органы местного самоуправления", True)
    ]


def test_seed_003_has_38_activities_with_region_from_the_first_data_row():
    roadmap = seed("003")
    assert len(roadmap.activities) == 38
    assert (roadmap.region_code, roadmap.region_name) == ("70", "Томская область")
    assert roadmap.approving_act.number == "461-р"
    assert roadmap.period == (2021, 2021)
    assert all(a.deadline_text for a in roadmap.activities)


def test_seed_003_rows_that_drop_columns_are_realigned_by_content():
    roadmap = seed("003")
    first = by_row(roadmap, 54)
    assert (first.deadline_text, first.actual_text, first.place_and_format) == (
        "21.01.2021", "Письмо от ДОО ТО", "Распоряжение ДОО ТО")
    assert first.done and first.planned_result == "Назначение региональных координаторов"
    course = by_row(roadmap, 70)  # region columns gone
    assert (course.deadline_text, course.actual_text) == ("Март-декабрь 2021 г.", "29.03-01.04.2021")
    assert course.links == ["https://disk.yandex.ru/d/KYUHRW_ukRl5Q"] and course.done
    tagged = by_row(roadmap, 76)  # cells wrapped in <p>
    assert (tagged.deadline_text, tagged.actual_text) == ("Март-декабрь 2021 г.", "22.05-12.04.2021")
    seminar = by_row(roadmap, 81)  # place/format column gone too
    assert (seminar.deadline_text, seminar.actual_text) == ("Май 2021 г.", "16.04.2021")
    assert [r.name for r in seminar.responsible] == ["ДОО ТО", "ТОМПКРО"]
    assert len(seminar.links) == 2
    plans = by_row(roadmap, 82)
    assert (plans.deadline_text, plans.actual_text) == ("26.05.2021", "июнь 2021 г.")
    assert plans.done and plans.planned_result == "20 муниципальных дорожных карт"
    expertise = by_row(roadmap, 86)
    assert (expertise.deadline_text, expertise.actual_text) == ("30.06.2021", "")
    assert expertise.planned_result == "Протокол рабочей группы" and not expertise.done
    meeting = by_row(roadmap, 88)  # no actual date: the result follows the planned date
    assert (meeting.deadline_text, meeting.actual_text) == ("Август 2021 г.", "")
    assert meeting.planned_result == "Протокол рабочей группы"
    assert meeting.place_and_format == "Совещание ТОИПКРО"
    late = by_row(roadmap, 92)
    assert (late.deadline_text, late.actual_text, late.place_and_format) == ("17.09.2021", "", "")
    assert by_row(roadmap, 64).deadline_text == "Еженедельно"
    assert by_row(roadmap, 69).result_document == "приказ ТОИПКРО № 29-7 от 16.04.21"


def test_seed_003_planned_dates_hold_no_links_and_links_hold_no_dates():
    roadmap = seed("003")
    for activity in roadmap.activities:
        assert "http" not in activity.deadline_text and "http" not in activity.actual_text
        for link in activity.links:
            assert link.startswith("http") and not DATE.fullmatch(link)
            assert not re.fullmatch(r"[\d.\s\-–]+", link)
    assert sum(1 for a in roadmap.activities if a.done) >= 15


def test_seed_004_has_ten_activities_under_group_headings_and_two_yearly_indicators():
    roadmap = seed("004")
    assert len(roadmap.activities) == 10
    assert all(s.parent_title.startswith("Формирование эффективной системы") for s in roadmap.sections)
    assert roadmap.sections[3].title == "Создание детского технопарка"
    with_indicators = [a for a in roadmap.activities if a.indicators]
    assert [a.number for a in with_indicators] == ["1", "8"]
    first, second = with_indicators[0].indicators[0], with_indicators[1].indicators[0]
    assert first.unit == second.unit == "%"
    assert first.targets == dict(zip(range(2019, 2025), map(Decimal, (30, 45, 55, 65, 75, 85)), strict=True))
    assert second.targets == dict(zip(range(2020, 2025), map(Decimal, (34, 45, 52, 64, 70)), strict=True))
    assert with_indicators[0].deadline_text == "\n".join(str(y) for y in range(2019, 2025))
    assert by_number(roadmap, "2").deadline_text == "2019-2020"
    assert by_number(roadmap, "4").deadline_text == "2020-2022"


def test_seed_004_preamble_gives_goal_tasks_expected_results_and_period():
    roadmap = seed("004")
    assert roadmap.goal.startswith("обеспечение к 2024 году")
    assert roadmap.tasks.count("\n") == 4 and roadmap.tasks.startswith("- выявление")
    assert roadmap.expected_results.startswith("1. Сформирован пакет")
    assert roadmap.period == (2019, 2024)
    assert roadmap.title.startswith("Дорожная карта «Реализаци")


@pytest.mark.parametrize("key", ["000", "001", "002", "004"])  # 003 has superscripts cp1251 lacks
def test_a_cp1251_copy_of_a_seed_parses_the_same_as_the_utf8_one(key):
    text = seed_bytes(key).decode("utf-8")
    from_utf8 = parse_file(text.encode("utf-8"), "seed.txt").to_json_dict()
    from_cp1251 = parse_file(text.encode("cp1251"), "seed.txt").to_json_dict()
    assert from_cp1251 == from_utf8


def test_a_utf8_copy_with_bom_and_crlf_parses_the_same():
    data = seed_bytes("002")
    copy = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    assert parse_file(copy, "a.txt").to_json_dict() == parse_file(data, "a.txt").to_json_dict()


def test_003_read_as_tsv_by_extension_gives_the_same_result():
    data = seed_bytes("003")
    assert parse_file(data, "report.tsv").to_json_dict() == parse_file(data, "report.txt").to_json_dict()
