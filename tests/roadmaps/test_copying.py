"""Next year's copy of a roadmap: the wordings moved by N years, the copy service, its page."""

import pytest

from roadmaps.deadlines.shift import shift_years

# Own examples in the shapes of the deadline list in the seeds' README (never the seed texts).
SHIFTED = [
    ("до 15.05.2025", 1, "до 15.05.2026"),
    ("15.05.2025", 2, "15.05.2027"),
    ("С 10.02. по 25.02.2025", 1, "С 10.02. по 25.02.2026"),
    ("С 18.03.по 02.04.2025", 1, "С 18.03.по 02.04.2026"),
    ("14-25.09.2025", 1, "14-25.09.2026"),
    ("С12-19.10.2025", 1, "С12-19.10.2026"),
    ("01.07-30.09.2025", 1, "01.07-30.09.2026"),
    ("27.03-03.04.2025", 1, "27.03-03.04.2026"),
    ("13.10.2025-17.10.2025", 1, "13.10.2026-17.10.2026"),
    ("30. 06.2025", 1, "30. 06.2026"),
    ("Март - апрель 2025 года", 1, "Март - апрель 2026 года"),
    ("Май-ноябрь 2025 г.", 1, "Май-ноябрь 2026 г."),
    ("Февраль 2025 г. – октябрь 2026 г.", 1, "Февраль 2026 г. – октябрь 2027 г."),
    ("2025 год", 1, "2026 год"),
    ("2025", 3, "2028"),
    ("2025-2027", 1, "2026-2028"),
    ("2025 - 2029", 1, "2026 - 2030"),
    ("01.09.2025\n01.09.2026\n01.09.2027", 1, "01.09.2026\n01.09.2027\n01.09.2028"),
    ("сентябрь 2025 г., ежегодно", 1, "сентябрь 2026 г., ежегодно"),
    ("Февраль 2025 года, далее - ежеквартально", 1, "Февраль 2026 года, далее - ежеквартально"),
    ("с 01.10.2025 (ежегодно)", 1, "с 01.10.2026 (ежегодно)"),
    ("01.01.2025 -31.12.2027 (2 раза в год)", 1, "01.01.2026 -31.12.2028 (2 раза в год)"),
    ("С 1 марта 2025 года постоянно", 1, "С 1 марта 2026 года постоянно"),
    ("С февраля 2025, постоянно", 1, "С февраля 2026, постоянно"),
    ("По графику, начиная с марта 2025 года", 1, "По графику, начиная с марта 2026 года"),
    ("2025/2026 учебный год", 1, "2026/2027 учебный год"),
    ("до 31.12.2025", -1, "до 31.12.2024"),
]

UNCHANGED = [
    "Ежеквартально",
    "Ежемесячно",
    "Еженедельно",
    "Октябрь, ежегодно",
    "Май, октябрь ежегодно",
    "Первое полугодие, ежегодно",
    "Постоянно",
    "В течение года",
    "По графику",
    "По запросу",
    "По мере поступления заявок",
    "До 20.04.",
    "до 5 числа месяца, следующего за отчётным",
    "По плану, утверждённому приказом № 2025",
    "",
]


@pytest.mark.parametrize(("text", "years", "expected"), SHIFTED)
def test_explicit_years_and_dates_move(text, years, expected):
    shifted = shift_years(text, years)
    assert shifted.text == expected
    assert shifted.changed
    assert shifted.notes == []


@pytest.mark.parametrize("text", UNCHANGED)
def test_relative_wordings_stay(text):
    shifted = shift_years(text, 1)
    assert shifted.text == text
    assert not shifted.changed


def test_no_shift_changes_nothing():
    assert shift_years("до 15.05.2025", 0) == shift_years("до 15.05.2025", 0)
    assert not shift_years("до 15.05.2025", 0).changed


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("до 29.02.2028", 1, "до 28.02.2029"),
        ("29.02-05.03.2028", 1, "28.02-05.03.2029"),
        ("29 февраля 2028 года", 1, "28 февраля 2029 года"),
    ],
)
def test_leap_day_in_a_common_year_becomes_28_february_with_a_note(text, years, expected):
    shifted = shift_years(text, years)
    assert shifted.text == expected
    assert shifted.notes == ["29 февраля в 2029 году нет: срок перенесён на 28 февраля"]


def test_leap_day_kept_in_a_leap_year():
    shifted = shift_years("до 29.02.2028", 4)
    assert shifted.text == "до 29.02.2032"
    assert shifted.notes == []
