"""Limits on rows and filled cells, checked while the file is read, and the progress the reader reports."""

import io
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import ImportRefused, parse_file  # noqa: E402
from roadmaps.importing.limits import ReadLimits, RowCounter  # noqa: E402
from roadmaps.importing.read_xlsx import read_xlsx  # noqa: E402

HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"]


def _row(n: int) -> list:
    return [n, f"Семинар для педагогов № {n}", "Март 2025 года", "Отдел образования"]


def xlsx(rows: int, *, width: int = 0) -> bytes:
    """A plan of ``rows`` activities written as scripts write it (no declared sheet size)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("План")
    sheet.append(["План мероприятий на 2025 год"])
    sheet.append(HEADER + [f"Показатель {j}" for j in range(width)])
    for n in range(1, rows + 1):
        sheet.append(_row(n) + [j for j in range(width)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx(rows: int) -> bytes:
    document = Document()
    document.add_paragraph("План мероприятий на 2025 год")
    table = document.add_table(rows=rows + 1, cols=len(HEADER))
    for row, cells in zip(table.rows, [HEADER] + [_row(n) for n in range(1, rows + 1)], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = str(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text(rows: int) -> bytes:
    lines = ["План мероприятий на 2025 год", "\t".join(HEADER)]
    lines += ["\t".join(str(c) for c in _row(n)) for n in range(1, rows + 1)]
    return "\n".join(lines).encode()


def refusal(data: bytes, filename: str, limits: ReadLimits) -> str:
    with pytest.raises(ImportRefused) as caught:
        parse_file(data, filename, limits=limits)
    return caught.value.message


def test_a_sheet_past_the_row_limit_is_refused_naming_the_limit_and_the_rows_in_the_file():
    message = refusal(xlsx(300), "plan.xlsx", ReadLimits(max_rows=100))

    assert message == (
        "Слишком большая таблица: строк в файле — 302, предел импорта — 100. "
        "Разделите таблицу на несколько файлов."
    )


def test_the_row_limit_stops_reading_at_the_first_row_too_many():
    data = xlsx(2_000)
    counter = RowCounter(ReadLimits(max_rows=100))

    with pytest.raises(ImportRefused):
        read_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), counter)

    assert counter.rows == 101
    assert counter.expected == 2_002


def test_a_plan_within_the_limits_reads_as_before():
    parsed = parse_file(xlsx(100), "plan.xlsx", limits=ReadLimits(max_rows=102, max_cells=4 * 100 + 5))

    assert len(parsed.activities) == 100
    assert parsed.activities[-1].title == "Семинар для педагогов № 100"


def test_a_wide_sheet_past_the_cell_limit_is_refused_with_the_cells_counted():
    message = refusal(xlsx(50, width=40), "plan.xlsx", ReadLimits(max_rows=1_000, max_cells=1_000))

    assert message.startswith("Слишком большая таблица: заполненных ячеек в файле — не меньше 1\u00a00")
    assert "предел импорта — 1\u00a0000." in message


def test_word_and_text_tables_obey_the_same_row_limit():
    limits = ReadLimits(max_rows=20)

    assert "строк в файле — 31, предел импорта — 20" in refusal(docx(30), "plan.docx", limits)
    assert "строк в файле — не меньше 21, предел импорта — 20" in refusal(text(30), "plan.txt", limits)


def test_without_limits_the_shell_reads_any_size():
    assert len(parse_file(text(500), "plan.txt").activities) == 500


def test_progress_rises_while_reading_and_stops_short_of_done():
    seen: list[int] = []

    parse_file(xlsx(3_000), "plan.xlsx", progress=seen.append)

    assert seen == sorted(seen)
    assert seen[0] < 50 and 50 in seen and seen[-1] == 95
    assert len([p for p in seen if p < 50]) >= 3  # the bar moves during reading, not only at the end
    assert len([p for p in seen if 50 < p < 95]) >= 3  # and while the structure is recognised
