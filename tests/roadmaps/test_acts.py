"""How documents cite a legal act, and how downloaded files are named (plain Python, no database)."""

import datetime

import pytest

from roadmaps.acts import GENITIVE, act_citation, amendment_text, approval_text, issuer_genitive
from roadmaps.documents.names import clip, roadmap_file_name, safe_file_name, short_title

DAY = datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("Департамент образования Томской области", "департамента образования Томской области"),
        ("Министерство просвещения Российской Федерации", "министерства просвещения Российской Федерации"),
        (
            "Управление образования администрации Города Томска",
            "управления образования администрации Города Томска",
        ),
        ("Комитет по образованию", "комитета по образованию"),
        ("Администрация Томской области", "администрации Томской области"),
        # already in the genitive, as an imported document writes it: only the capital goes
        ("Департамента общего образования", "департамента общего образования"),
        # not a known head noun: left exactly as written
        ("ТОИПКРО", "ТОИПКРО"),
        ("", ""),
    ],
)
def test_the_issuer_is_put_in_the_genitive_with_a_lower_case_head_noun(issuer, expected):
    assert issuer_genitive(issuer) == expected


@pytest.mark.parametrize(
    ("kind", "instrumental", "genitive"),
    [
        ("order", "приказом", "приказа"),
        ("directive", "распоряжением", "распоряжения"),
        ("decree", "постановлением", "постановления"),
        ("Приказ", "приказом", "приказа"),
        ("постановление", "постановлением", "постановления"),
    ],
)
def test_the_act_kind_takes_the_case_the_sentence_needs(kind, instrumental, genitive):
    common = {"kind": kind, "issuer": "Министерство образования", "date": DAY, "number": "5"}
    assert act_citation(**common) == f"{instrumental} министерства образования от 15.01.2026 № 5"
    assert act_citation(**common, case=GENITIVE) == f"{genitive} министерства образования от 15.01.2026 № 5"


def test_the_approval_block_and_an_amendment_read_as_an_official_document_writes_them():
    approval = approval_text(kind="order", issuer="Департамент образования", date=DAY, number="12")
    amendment = amendment_text(kind="decree", issuer="Правительство области", date=DAY, number="7-п")
    assert approval == "УТВЕРЖДЕНА приказом департамента образования от 15.01.2026 № 12"
    assert amendment == "в ред. постановления правительства области от 15.01.2026 № 7-п"


def test_an_act_without_an_issuer_has_no_double_spaces():
    assert act_citation(kind="order", issuer="", date=DAY, number="1") == "приказом от 15.01.2026 № 1"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "План мероприятий («дорожная карта») по реализации проекта «500+» на 2026 год",
            "по реализации проекта «500+»",
        ),
        ("Дорожная карта на 2026 год", ""),
        ("Успех каждого ребенка", "«Успех каждого ребенка»"),
        ("Планирование профориентации", "«Планирование профориентации»"),
        (
            "«Дорожная карта» по развитию кадрового потенциала на 2025–2027 годы",
            "по развитию кадрового потенциала",
        ),
    ],
)
def test_the_short_title_drops_what_the_file_name_says_anyway(title, expected):
    assert short_title(title) == expected


def test_a_roadmap_file_is_named_by_its_title_period_and_the_day():
    name = roadmap_file_name(
        title="План мероприятий по реализации проекта «500+» на 2026 год",
        year_start=2026,
        year_end=2026,
        day=datetime.date(2026, 12, 1),
        extension="pdf",
    )
    assert name == "Дорожная карта по реализации проекта «500+» на 2026 год — 01.12.2026.pdf"
    several = roadmap_file_name(title="Кадры", year_start=2025, year_end=2027, day=DAY, extension="docx")
    assert several == "Дорожная карта «Кадры» на 2025–2027 годы — 15.01.2026.docx"


def test_a_long_title_is_cut_at_a_word_and_the_name_fits_a_file_system():
    title = "План мероприятий по " + " ".join(["повышению качества образования"] * 20)
    name = roadmap_file_name(title=title, year_start=2026, year_end=2026, day=DAY, extension="xlsx")
    assert "…" in name and name.endswith(" на 2026 год — 15.01.2026.xlsx")
    assert len(name.encode()) <= 240
    assert clip("один два три", 8) == "один…"


def test_characters_a_file_system_refuses_are_dropped():
    assert safe_file_name('Отчёт: "итоги" 1/2 <черновик>?.pdf') == "Отчёт итоги 1 2 черновик.pdf"
    assert len(safe_file_name("ы" * 400 + ".pdf").encode()) <= 240
    assert safe_file_name("ы" * 400 + ".pdf").endswith(".pdf")
