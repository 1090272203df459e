"""The onboarding workbook: its two sheets, their columns, and reading and writing them. Plain Python with
openpyxl, no database: `read_workbook` gives rows of text keyed by column, `write_workbook` the file.

The template, the export and the import share these columns, so a file the portal wrote reads back equal:
every value is written as text (never a formula) and read back stripped; numbers typed by a person are
turned into their digits (an ИНН typed as a number that lost its leading zero gets it back).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from config.spreadsheet_text import clean_text, is_formula_like

ORGANIZATIONS_SHEET = "Организации"
PEOPLE_SHEET = "Сотрудники"

# Column key → header and the hint shown as the header's comment in the template.
ORGANIZATION_COLUMNS: dict[str, tuple[str, str]] = {
    "code": ("Код в портале", "Пусто для новой организации; у выгруженных — не меняйте."),
    "full_name": ("Полное наименование", "Обязательно."),
    "short_name": ("Краткое наименование", "Если пусто — берётся полное (до 150 знаков)."),
    "kind": ("Вид", "Один из: {kinds}. Пусто — «иная организация» у новой, без изменений у существующей."),
    "parent": (
        "Вышестоящая",
        "Краткое наименование, ИНН или код в портале; может быть строкой этого же листа.",
    ),
    "inn": ("ИНН", "10 цифр (12 у предпринимателя)."),
    "ogrn": ("ОГРН", ""),
    "municipality": ("Муниципальное образование", "Наименование, как в портале."),
    "address": ("Адрес", ""),
    "phone": ("Телефон", ""),
    "email": ("E-mail", ""),
    "head_name": ("Руководитель (Ф.И.О.)", ""),
    "head_position": ("Должность руководителя", ""),
}
PERSON_COLUMNS: dict[str, tuple[str, str]] = {
    "full_name": ("Ф.И.О.", "Фамилия Имя Отчество; обязательно для нового человека."),
    "email": ("E-mail", "Обязательно; по нему приходит приглашение."),
    "organization": (
        "Организация",
        "Краткое наименование, ИНН или код в портале; может быть с листа «Организации».",
    ),
    "role": ("Роль", "Одна из: сотрудник, координатор, аналитик, наблюдатель."),
    "position": ("Должность", ""),
}
REQUIRED_HEADERS = {ORGANIZATIONS_SHEET: ("full_name",), PEOPLE_SHEET: ("email",)}
MAX_ROWS = 50_000


class WorkbookError(ValueError):
    """The file as a whole cannot be read; the message is for a person."""


@dataclass
class SheetRows:
    """One sheet's data rows: each a dict of column key → text ("" for a blank cell; a column the sheet does
    not have is absent), with its row number."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _header_key(text: str, columns: dict[str, tuple[str, str]]) -> str | None:
    wanted = " ".join(text.replace("ё", "е").lower().split())
    for key, (header, _hint) in columns.items():
        if " ".join(header.replace("ё", "е").lower().split()) == wanted:
            return key
    return None


def cell_text(value: object) -> str:
    """A cell's value as the text a person typed: integers and whole floats as digits, dates as ДД.ММ.ГГГГ."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _read_sheet(sheet, columns: dict[str, tuple[str, str]], title: str) -> SheetRows:
    result = SheetRows()
    keys: list[str | None] | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if keys is None:
            texts = [cell_text(v) for v in values]
            if not any(texts):
                continue
            keys = [_header_key(text, columns) if text else None for text in texts]
            missing = [columns[k][0] for k in REQUIRED_HEADERS[title] if k not in keys]
            if missing:
                raise WorkbookError(f"На листе «{title}» нет столбца «{missing[0]}».")
            continue
        # Only the sheet's own columns: one left out of the file is «not given», kept as it is in the portal.
        row = {key: "" for key in keys if key is not None}
        for key, value in zip(keys, values, strict=False):
            if key is not None:
                row[key] = cell_text(value)
        if key_numbers := [k for k in ("inn",) if isinstance(_raw(values, keys, k), int | float)]:
            for k in key_numbers:
                row[k] = _digits_back(row[k])
        if any(row.values()):
            if len(result.rows) >= MAX_ROWS:
                raise WorkbookError(f"На листе «{title}» больше {MAX_ROWS} строк.")
            result.rows.append((number, row))
    return result


def _raw(values: tuple, keys: list[str | None], key: str) -> object:
    for k, value in zip(keys, values, strict=False):
        if k == key:
            return value
    return None


def _digits_back(text: str) -> str:
    """An ИНН typed as a number loses a leading zero: 9 digits were 10, 11 were 12."""
    return text.zfill(len(text) + 1) if text.isdigit() and len(text) in (9, 11) else text


def read_workbook(data: bytes) -> tuple[SheetRows, SheetRows]:
    """The organisations' and the people's rows of an onboarding .xlsx (a missing sheet has none)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError("Файл не читается как книга Excel (.xlsx).") from exc
    try:
        names = {" ".join(name.lower().split()): name for name in workbook.sheetnames}
        found = [names.get(title.lower()) for title in (ORGANIZATIONS_SHEET, PEOPLE_SHEET)]
        if not any(found):
            raise WorkbookError(f"В книге нет листов «{ORGANIZATIONS_SHEET}» и «{PEOPLE_SHEET}».")
        organizations = (
            _read_sheet(workbook[found[0]], ORGANIZATION_COLUMNS, ORGANIZATIONS_SHEET)
            if found[0]
            else SheetRows()
        )
        people = _read_sheet(workbook[found[1]], PERSON_COLUMNS, PEOPLE_SHEET) if found[1] else SheetRows()
    finally:
        workbook.close()
    return organizations, people


def write_workbook(
    organizations: Iterable[dict[str, object]],
    people: Iterable[dict[str, object]],
    *,
    hints: dict[str, str] | None = None,
) -> bytes:
    """The two sheets with their headers (the hints as the headers' comments when `hints` is given) and rows;
    text is written as text, so a name starting with «=» stays a name."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in (
        (ORGANIZATIONS_SHEET, ORGANIZATION_COLUMNS, organizations),
        (PEOPLE_SHEET, PERSON_COLUMNS, people),
    ):
        sheet = workbook.create_sheet(title)
        for index, key in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = 30 if "name" in key else 18
        sheet.freeze_panes = "A2"
        header = []
        for header_text, hint in columns.values():
            cell = WriteOnlyCell(sheet, value=header_text)
            cell.font = bold
            if hint and hints is not None:
                cell.comment = Comment(hint.format(**hints), "Портал")
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_text_cell(sheet, row.get(key)) for key in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=clean_text(value))
    cell.data_type = "s"
    cell.quotePrefix = is_formula_like(value)
    return cell
