"""Tables drawn with «|»: Markdown pipe tables and tables pasted from legal databases."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402


def rows(roadmap) -> list[tuple[str, str, str, str]]:
    return [(a.number_as_written, a.title, a.deadline_text, a.responsible_text) for a in roadmap.activities]


def test_a_markdown_pipe_table_is_read_and_a_smaller_table_before_it_skipped():
    text = "\n".join([
        "# План работы на 2024 год",
        "",
        "| Лист согласования | |",
        "|---|---|",
        "| Согласовано | Иванов И.И. |",
        "",
        "| № | Содержание работы | Срок | Исполнитель |",
        "|:--|---|---|--:|",
        "| **Раздел I. Общее** | | | |",
        "| 1. | Совещание \\| планёрка | Май 2024 | Школа |",
        "| 2. | Семинар<br>для учителей | Июнь 2024 | ИМЦ |",
    ])
    roadmap = parse_file(text.encode(), "plan.txt")
    assert roadmap.title == "План работы на 2024 год"
    assert [(s.number, s.title) for s in roadmap.sections] == [("I", "Общее")]
    assert rows(roadmap) == [("1.", "Совещание | планёрка", "Май 2024", "Школа"),
                             ("2.", "Семинар для учителей", "Июнь 2024", "ИМЦ")]
    assert any("Таблица 1 перед основной" in w.message for w in roadmap.warnings)


def test_a_legal_database_copy_with_lone_separator_lines_is_read():
    text = "\n".join([
        "ПЛАН", "мероприятий на 2024 год", "",
        "N п/п", "|", "Наименование мероприятия", "|", "Срок", "|", "Ответственный исполнитель",
        "1.", "|", "Проведение совещания", "руководителей", "|", "Май 2024", "|", "Министерство образования",
        "2.", "|", "Семинар", "|", "Июнь 2024", "|",
    ])
    roadmap = parse_file(text.encode("cp1251"), "plan.txt")
    assert roadmap.title == "ПЛАН мероприятий на 2024 год"
    assert rows(roadmap) == [
        ("1.", "Проведение совещания руководителей", "Май 2024", "Министерство образования"),
        ("2.", "Семинар", "Июнь 2024", ""),
    ]


def test_a_legal_database_copy_with_cells_ending_in_a_bar_is_read_with_its_headings():
    text = "\n".join([
        "План мероприятий на 2024 год", "",
        "N п/п |", "Наименование мероприятия |", "Срок |", "Ответственный",
        "Раздел 1. Организация",
        "1. |", "Проведение совещания |", "Май 2024 |", "Министерство",
        "2. |", "Семинар для", "педагогов |", "Июнь 2024 |", "ИМЦ",
    ])
    roadmap = parse_file(text.encode(), "plan.txt")
    assert [(s.number, s.title) for s in roadmap.sections] == [("1", "Организация")]
    assert rows(roadmap) == [("1.", "Проведение совещания", "Май 2024", "Министерство"),
                             ("2.", "Семинар для педагогов", "Июнь 2024", "ИМЦ")]
