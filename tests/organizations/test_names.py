"""Spellings of organisation names: normalised, keyed by likely identity, grouped. No database."""

import pytest

from organizations.names import group_spellings, identity_keys, normalize_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("МБУ ДО «ДДТ»", "мбу до ддт"),
        ("  МБОУ   СОШ №3 ", "мбоу сош № 3"),
        ("Центр «Ёлочка»", "центр елочка"),
        ('МАОУ "Гимназия № 2"', "маоу гимназия № 2"),
        ("ОГБУ «РЦРО»", "огбу рцро"),
    ],
)
def test_a_name_is_normalised_for_quotes_case_yo_number_sign_and_spaces(name, normalized):
    assert normalize_name(name) == normalized


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("МБУ ДО ДДТ", "МБУ ДО «ДДТ»"),
        ("МБУ ДО «ДДТ»", "ДДТ"),
        ("ДДТ", "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»"),
        ("МБОУ СОШ № 3", "МБОУ СОШ №3"),
        ("МБОУ «Лицей № 1»", "Лицей №1"),
        ("МАОУ Гимназия № 2", "ГИМНАЗИЯ № 2"),
        ("Дом детского творчества", "МБУ ДО «Дом детского творчества»"),
        ("ОГБУ ДПО «ТОИПКРО»", "ТОИПКРО"),
    ],
)
def test_spellings_of_one_organisation_share_a_key(first, second):
    assert identity_keys(first) & identity_keys(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("МБОУ СОШ № 3", "МБОУ СОШ № 4"),
        ("МБОУ «Лицей № 1»", "МБОУ «Лицей № 2»"),
        ("ДО ТО", "ТО"),  # a department of education is not its region's abbreviation
        ("Отдел образования", "Отдел культуры"),
        ("МБУ ДО ДДТ", "МБУ ДО ЦДТ"),
    ],
)
def test_spellings_of_different_organisations_share_no_key(first, second):
    assert not identity_keys(first) & identity_keys(second)


def test_spellings_are_grouped_in_the_order_they_came():
    names = ["МБУ ДО ДДТ", "МБОУ СОШ № 3", "МБУ ДО «ДДТ»", "Отдел образования", "ДДТ", "МБОУ СОШ №3"]

    assert group_spellings(names) == [
        ["МБУ ДО ДДТ", "МБУ ДО «ДДТ»", "ДДТ"],
        ["МБОУ СОШ № 3", "МБОУ СОШ №3"],
        ["Отдел образования"],
    ]


def test_a_long_name_joins_its_short_forms_through_its_initials():
    names = [
        "ДДТ",
        "Отдел",
        "Муниципальное учреждение «Дом детского творчества»",
        "МБУ ДО «Дом детского творчества»",
    ]

    assert group_spellings(names)[0] == [
        "ДДТ", "Муниципальное учреждение «Дом детского творчества»", "МБУ ДО «Дом детского творчества»"
    ]  # fmt: skip


def test_comparing_spellings_imports_no_django():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, organizations.names\nassert not [m for m in sys.modules if m.startswith('django')]"
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
