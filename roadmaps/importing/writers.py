"""The way back: a ``ParsedRoadmap`` as an .xlsx or .docx file in a column layout the readers
recognise — title and preamble lines, a header row of recognisable column names, a merged row per
(group) heading, a row per activity. ``parse_file(write_xlsx(p), "x.xlsx")`` gives ``p`` back."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from config.spreadsheet_text import as_text_cell
from roadmaps.acts import amendment_text, approval_text

from .indicators import format_indicator
from .parsed import ParsedAct, ParsedActivity, ParsedRoadmap, ParsedSection
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
    """The section's row as written: «Раздел I. …», «2. …»; a number that ends in its own dot or
    bracket («1.», «2)») is not given another."""
    if not section.number:
        return section.title
    if set(section.number) <= _ROMAN:
        return f"Раздел {section.number}. {section.title}"
    if section.number[-1] in ".)":
        return f"{section.number} {section.title}"
    return f"{section.number}. {section.title}"


@dataclass
class DocumentHead:
    """What stands above the table: the approval block (top right), the title, the passport lines."""

    approval: list[str] = field(default_factory=list)
    amendments: list[str] = field(default_factory=list)
    title: str = ""
    passport: list[tuple[str, str]] = field(default_factory=list)


def approval_lines(text: str) -> list[str]:
    """«УТВЕРЖДЕНА приказом … от … № …» → [«УТВЕРЖДЕНА», «приказом … от … № …»]: the first word on a
    line of its own, as approval blocks are printed."""
    word, _space, rest = text.partition(" ")
    if rest and word.lower().startswith("утвержд"):
        return [word, rest]
    return [text]


def document_head(parsed: ParsedRoadmap) -> DocumentHead:
    head = DocumentHead(title=parsed.title)
    if parsed.approving_act:
        act = parsed.approving_act
        head.approval = approval_lines(
            act.text or approval_text(kind=act.kind, issuer=act.issuer, date=act.date, number=act.number)
        )
    head.amendments = [f"({_amendment(act)})" for act in parsed.revisions]
    head.passport = [
        (label, text)
        for label, text in (
            ("Цель", parsed.goal),
            ("Задачи", parsed.tasks),
            ("Ожидаемые результаты", parsed.expected_results),
        )
        if text
    ]
    return head


def _amendment(act: ParsedAct) -> str:
    if not act.text:
        return amendment_text(kind=act.kind, issuer=act.issuer, date=act.date, number=act.number)
    return act.text if act.text.startswith("в ред") else f"в ред. {act.text}"


def preamble_blocks(parsed: ParsedRoadmap) -> list[str]:
    """Blocks of text before the table, each written as its own paragraph or row."""
    head = document_head(parsed)
    blocks = [head.title] if head.title else []
    if head.approval:
        blocks.append(" ".join(head.approval))
    blocks.extend(head.amendments)
    blocks.extend(f"{label}: {text}" for label, text in head.passport)
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


# The approved form on A4 landscape, in millimetres: margins, the approval block's left edge, the № column.
_PAGE = (297, 210)
_MARGINS = {"left_margin": 20, "right_margin": 15, "top_margin": 15, "bottom_margin": 15}
_APPROVAL_INDENT = 175
_NUMBER_WIDTH = 14


def write_docx(parsed: ParsedRoadmap) -> bytes:
    """The roadmap in its approved form — A4 landscape, the approval block at the top right, a bold
    title, a bold header row repeated on every page, section rows across the table, page numbers — laid
    out so that ``parse_file`` reads it back: the paragraphs before the one table are its preamble."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    header, rows = table_rows(parsed)
    head = document_head(parsed)
    document = Document()
    normal = document.styles["Normal"]
    # The table's 10 pt is the document's default (a paragraph style outranks a table style in Word);
    # the few paragraphs above the table are set larger one by one.
    normal.font.name, normal.font.size = "Times New Roman", Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(_PAGE[0]), Mm(_PAGE[1])
    for side, size in _MARGINS.items():
        setattr(section, side, Mm(size))
    _page_numbers(section.footer.paragraphs[0])

    if head.approval or head.amendments:
        for line in head.approval + head.amendments:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Mm(_APPROVAL_INDENT)
            paragraph.add_run(_safe(line)).font.size = Pt(12)
        document.add_paragraph("")
    if head.title:
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(_safe(head.title))
        run.bold, run.font.size = True, Pt(14)
        document.add_paragraph("")
    for label, text in head.passport:
        paragraph = document.add_paragraph()
        label_run, text_run = paragraph.add_run(f"{label}:"), paragraph.add_run(" " + _safe(text))
        label_run.bold = True
        label_run.font.size = text_run.font.size = Pt(12)
        document.add_paragraph("")

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    usable = _PAGE[0] - _MARGINS["left_margin"] - _MARGINS["right_margin"]
    widths = [
        Mm(_NUMBER_WIDTH) if name == "№" else Mm((usable - _NUMBER_WIDTH) / max(len(header) - 1, 1))
        for name in header
    ]
    heading_row = table.rows[0]
    _repeat_as_header(heading_row)
    for cell, text in zip(heading_row.cells, header, strict=False):
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, cells in rows:
        row_cells = table.add_row().cells
        if kind == "heading":
            merged = row_cells[0].merge(row_cells[-1]) if len(row_cells) > 1 else row_cells[0]
            merged.paragraphs[0].add_run(_safe(cells[0])).bold = True
            continue
        for cell, text in zip(row_cells, cells, strict=False):
            if text:
                cell.text = _safe(text)
    # The grid's column widths and the header row's cell widths: Word and LibreOffice both follow them.
    for column, cell, width in zip(table.columns, heading_row.cells, widths, strict=False):
        column.width = cell.width = width
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# python-docx has no public API for these two properties; both are plain, documented OOXML elements.
def _repeat_as_header(row) -> None:
    """Word repeats a row marked ``w:tblHeader`` at the top of every page the table continues on."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _page_numbers(paragraph) -> None:
    """«Страница N из M» in the footer, as Word fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field_code in (("Страница ", "PAGE"), (" из ", "NUMPAGES")):
        paragraph.add_run(text)
        field_element = OxmlElement("w:fldSimple")
        field_element.set(qn("w:instr"), field_code)
        run = OxmlElement("w:r")
        value = OxmlElement("w:t")
        value.text = "1"
        run.append(value)
        field_element.append(run)
        paragraph._p.append(field_element)
