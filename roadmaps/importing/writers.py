"""The way back: a ``ParsedRoadmap`` as an .xlsx or .docx file in a column layout the readers
recognise — title and preamble lines, a header row of recognisable column names, a merged row per
(group) heading, a row per activity. ``parse_file(write_xlsx(p), "x.xlsx")`` gives ``p`` back."""

from __future__ import annotations

import io
import re

from config.spreadsheet_text import as_text_cell

from .indicators import format_indicator
from .parsed import ParsedActivity, ParsedRoadmap, ParsedSection
from .responsible import responsible_as_written

# (field, header) in the order columns are written; the first five are always written.
COLUMNS = [
    ("number", "№"),
    ("title", "Мероприятие"),
    ("deadline", "Сроки"),
    ("result", "Результат"),
    ("responsible", "Ответственный"),
    ("region_code", "Код региона"),
    ("region_name", "Регион"),
    ("goal", "Цель и задачи"),
    ("place", "Место и формат проведения"),
    ("actual", "Фактическая дата"),
    ("result_document", "Подтверждающий документ"),
    ("audience", "Целевая аудитория"),
    ("link", "Ссылки"),
    ("comment", "Комментарий"),
    ("indicators", "Целевые значения показателей"),
]
_ORDER = [
    "number",
    "region_code",
    "region_name",
    "title",
    "goal",
    "place",
    "deadline",
    "actual",
    "result",
    "result_document",
    "responsible",
    "audience",
    "link",
    "comment",
    "indicators",
]
_ROMAN = set("IVXLC")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    """Characters XML cannot hold (stray control codes) are dropped."""
    return _NOT_XML.sub("", text)


def activity_values(activity: ParsedActivity) -> dict[str, str]:
    deadline = "\n".join([activity.deadline_text] + [f"({ref})" for ref in activity.revision_refs]).strip()
    result = activity.planned_result
    if activity.done:
        result = (result + " (выполнено)").strip()
    return {
        "number": activity.number_as_written or activity.number,
        "title": activity.title,
        "goal": activity.goal_and_tasks,
        "place": activity.place_and_format,
        "deadline": deadline,
        "actual": activity.actual_text,
        "result": result,
        "result_document": activity.result_document,
        "responsible": responsible_as_written(activity),
        "audience": activity.target_audience,
        "link": "\n".join(activity.links),
        "comment": activity.comment,
        "indicators": "\n".join(format_indicator(i) for i in activity.indicators),
    }


def heading_text(section: ParsedSection) -> str:
    if not section.number:
        return section.title
    if set(section.number) <= _ROMAN:
        return f"Раздел {section.number}. {section.title}"
    return f"{section.number}. {section.title}"


def preamble_blocks(parsed: ParsedRoadmap) -> list[str]:
    """Blocks of text before the table, each written as its own paragraph or row."""
    blocks = [parsed.title] if parsed.title else []
    if parsed.approving_act:
        act = parsed.approving_act
        blocks.append(
            act.text
            or f"Утвержден {act.kind} {act.issuer} от "
            f"{act.date.strftime('%d.%m.%Y') if act.date else '__________'} № {act.number}"
        )
    blocks.extend(
        f"({act.text})" if act.text.startswith("в ред") else f"(в ред. {act.text})"
        for act in parsed.revisions
    )
    for label, text in (
        ("Цель", parsed.goal),
        ("Задачи", parsed.tasks),
        ("Ожидаемые результаты", parsed.expected_results),
    ):
        if text:
            blocks.append(f"{label}: {text}")
    return blocks


def table_rows(parsed: ParsedRoadmap) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Header texts and rows; each row is («heading», [text]) or («activity», cells)."""
    values = [activity_values(a) for a in parsed.activities]
    region = {"region_code": parsed.region_code, "region_name": parsed.region_name}
    used = {name for name, _ in COLUMNS[:5]}
    used |= {name for name, text in region.items() if text}
    used |= {name for row in values for name, text in row.items() if text}
    fields = [name for name in _ORDER if name in used]
    headers = dict(COLUMNS)
    rows: list[tuple[str, list[str]]] = []
    written: list[str] = []  # the heading rows the current section sits under, the top one first
    first = True
    index = 0
    for section in parsed.sections:
        own = heading_text(section)
        chain = [heading.text for heading in section.ancestors] + ([own] if own else [])
        same = 0
        while same < min(len(chain), len(written)) and chain[same] == written[same]:
            same += 1
        rows.extend(("heading", [text]) for text in chain[same:])
        written = chain
        for _ in section.activities:
            row = dict(values[index])
            index += 1
            if first:
                row.update(region)
                first = False
            rows.append(("activity", [row.get(name, "") for name in fields]))
    return [headers[name] for name in fields], rows


def write_xlsx(parsed: ParsedRoadmap) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, rows = table_rows(parsed)
    width = len(header)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    line = 1
    for block in preamble_blocks(parsed):
        as_text_cell(sheet.cell(row=line, column=1, value=_safe(block))).alignment = wrap
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        line += 2
    for column, text in enumerate(header, 1):
        cell = sheet.cell(row=line, column=column, value=text)
        cell.font, cell.alignment = bold, wrap
    for kind, cells in rows:
        line += 1
        if kind == "heading":
            as_text_cell(sheet.cell(row=line, column=1, value=_safe(cells[0]))).font = bold
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
            continue
        for column, text in enumerate(cells, 1):
            if text:
                as_text_cell(sheet.cell(row=line, column=column, value=_safe(text))).alignment = wrap
    for column, name in enumerate(header, 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 8 if name == "№" else 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_docx(parsed: ParsedRoadmap) -> bytes:
    from docx import Document

    header, rows = table_rows(parsed)
    document = Document()
    for block in preamble_blocks(parsed):
        document.add_paragraph(_safe(block))
        document.add_paragraph("")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=False):
        cell.text = text
    for kind, cells in rows:
        row_cells = table.add_row().cells
        if kind == "heading":
            merged = row_cells[0].merge(row_cells[-1]) if len(row_cells) > 1 else row_cells[0]
            merged.text = _safe(cells[0])
            continue
        for cell, text in zip(row_cells, cells, strict=False):
            if text:
                cell.text = _safe(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
