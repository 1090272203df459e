"""The «500+» participants list as .xlsx: the page's columns, every page, written row by row in openpyxl's
write-only mode (text cells never become formulas: reports/builders/_xlsx.py's CellFactory)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook

from projects.models import Project
from projects.selectors import ParticipantRow
from reports.builders._xlsx import CellFactory

HEADER = ("Организация", "Полное наименование", "ИНН", "Муниципальное образование", "Куратор (организация)",
          "Куратор", "Выполнено", "Всего контрольных точек", "Просрочено")  # fmt: skip
WIDTHS = (30, 50, 14, 30, 30, 30, 12, 14, 12)


def write_participants_xlsx(
    target: IO[bytes], *, project: Project, rows: Iterable[ParticipantRow], as_of: datetime.date
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Участники")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    cell = CellFactory(sheet)
    sheet.append([cell(f"{project.name}: участники на {as_of:%d.%m.%Y}", header=True)])
    sheet.append([cell(text, header=True) for text in HEADER])
    for row in rows:
        participant, counts = row.participant, row.counts
        organization = participant.organization
        sheet.append(
            [
                cell(organization.short_name),
                cell(organization.full_name),
                cell(organization.inn),
                cell(organization.municipality.name if organization.municipality_id else ""),
                cell(participant.curator.short_name if participant.curator_id else ""),
                cell(participant.curator_display),
                cell(counts.done),
                cell(counts.total),
                cell(counts.overdue),
            ]
        )
    workbook.save(target)
