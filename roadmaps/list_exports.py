"""A list screen as .xlsx: the rows the page shows, with its filters, every page of them.

Rows are read in batches (`batched`: the queryset's iterator, prefetches run per batch) and written row by
row in openpyxl's write-only mode to a temporary file that the response streams. Text cells never become
formulas (reports/builders/_xlsx.py's CellFactory, the same cells the other exports write); dates are date
cells shown as ДД.ММ.ГГГГ; the file is named in Russian with the day it was made.
"""

from __future__ import annotations

import datetime
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from organizations.scope import Scope
from reports.builders._xlsx import CellFactory
from roadmaps.models import Checkpoint, Evidence, Responsibility, Roadmap
from roadmaps.outcomes import STATUS_LABELS
from roadmaps.selectors.checkpoints import (
    GROUP_TITLES,
    _group_order,
    attach_review_reasons,
    attach_verification_details,
    my_checkpoint_groups,
    review_activities,
    review_checkpoints,
)
from roadmaps.selectors.search import reasons_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500
DATE_FORMAT = "DD.MM.YYYY"


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    widths: Sequence[int]
    rows: Iterable[Sequence[Any]]


def batched(queryset: QuerySet, size: int = BATCH) -> Iterator:
    """The queryset's rows, fetched `size` at a time (its prefetches once per batch)."""
    return queryset.iterator(chunk_size=size)


def chunks(queryset: QuerySet, size: int = BATCH) -> Iterator[list]:
    """The queryset's rows as lists of `size`, for details attached a batch at a time."""
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def ru_date(value: datetime.date | datetime.datetime | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def write_list_xlsx(target: IO[bytes], *, caption: str, sheets: Sequence[Sheet]) -> None:
    workbook = Workbook(write_only=True)
    for sheet_spec in sheets:
        sheet = workbook.create_sheet(sheet_spec.title[:31])
        for index, width in enumerate(sheet_spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        cell = CellFactory(sheet)
        sheet.append([cell(caption, header=True)])
        sheet.append([cell(text, header=True) for text in sheet_spec.header])
        for row in sheet_spec.rows:
            sheet.append([_cell(cell, value) for value in row])
    workbook.save(target)


def _cell(cell: CellFactory, value: Any):
    made = cell(value)
    if isinstance(value, datetime.date):
        made.number_format = DATE_FORMAT
    return made


def xlsx_response(*, name: str, caption: str, sheets: Sequence[Sheet], day: datetime.date) -> FileResponse:
    """The workbook written to a temporary file and streamed as «<name> ДД.ММ.ГГГГ.xlsx»."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    write_list_xlsx(target, caption=caption, sheets=sheets)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=f"{name} {day:%d.%m.%Y}.xlsx", content_type=XLSX)


# --- The lists ------------------------------------------------------------------------------------------


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _names(organizations: Iterable) -> str:
    return "; ".join(o.short_name for o in organizations)


def my_checkpoints_sheet(*, scope: Scope, today: datetime.date, only: str | None = None) -> Sheet:
    """«Мои мероприятия», every row of the groups (or of the one group) the page shows, in its order.

    Queries per batch of BATCH rows: the rows with activities and roadmaps; the responsible organisations
    in the coordinator's scope; evidence.
    """
    groups = my_checkpoint_groups(today=today)
    if only:
        groups = {only: groups[only]}
    order = Case(
        *(When(q, then=Value(i)) for i, q in enumerate(groups.values())), output_field=IntegerField()
    )
    codes = list(groups)
    mine = Responsibility.objects.filter(scope.q("organization__path", "coordinator")).select_related(
        "organization"
    )
    rows = (
        Checkpoint.objects.reportable_in(scope)
        .annotate(group_index=order)
        .filter(group_index__isnull=False)
        .select_related("activity__roadmap")
        .prefetch_related(
            Prefetch("activity__responsibilities", queryset=mine.order_by("position", "pk"), to_attr="mine"),
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
        )
        .order_by("group_index", *_group_order(groups.get("done", Q(pk=None))))
    )

    def lines() -> Iterator[list]:
        for checkpoint in batched(rows):
            activity = checkpoint.activity
            yield [
                GROUP_TITLES[codes[checkpoint.group_index]],
                activity.roadmap.title,
                activity.number,
                activity.title,
                checkpoint.period_label,
                checkpoint.planned_due,
                STATUS_LABELS.get(checkpoint.status, checkpoint.status),
                checkpoint.actual_date,
                checkpoint.result,
                checkpoint.return_reason,
                _names(r.organization for r in activity.mine),
                "\n".join(e.url or e.original_name for e in checkpoint.evidence.all()),
            ]

    return Sheet(
        title="Мои мероприятия",
        header=(
            "Группа",
            "Дорожная карта",
            "№",
            "Мероприятие",
            "Период",
            "Срок",
            "Статус",
            "Дата выполнения",
            "Результат",
            "Причина возврата",
            "Ответственные",
            "Подтверждение",
        ),
        widths=(22, 40, 8, 60, 16, 12, 18, 14, 50, 40, 30, 40),
        rows=lines(),
    )


def verification_sheet(*, queue: QuerySet[Checkpoint]) -> Sheet:
    """The verification queue with its filters and sort, every page, with what a card shows: lateness,
    earlier returns, evidence. Queries per batch of BATCH rows: the rows; evidence; responsible
    organisations; earlier returns (attach_verification_details, as the page)."""

    def lines() -> Iterator[list]:
        for chunk in chunks(queue):
            attach_verification_details(checkpoints=chunk)
            for checkpoint in chunk:
                activity = checkpoint.activity
                reporter = checkpoint.reported_by
                yield [
                    activity.roadmap.title,
                    activity.number,
                    activity.title,
                    _names(checkpoint.responsible),
                    checkpoint.period_label,
                    checkpoint.planned_due,
                    STATUS_LABELS.get(checkpoint.status, checkpoint.status),
                    checkpoint.actual_date,
                    "да" if checkpoint.late else "",
                    checkpoint.result,
                    (reporter.get_full_name() or reporter.username) if reporter else "",
                    _local_day(checkpoint.reported_at),
                    "\n".join(f"{ru_date(_local_day(r.at))} — {r.note}" for r in checkpoint.earlier_returns),
                    "\n".join(e.url or e.original_name for e in checkpoint.evidence_list),
                ]

    return Sheet(
        title="Проверка отчётов",
        header=(
            "Дорожная карта",
            "№",
            "Мероприятие",
            "Ответственные",
            "Период",
            "Срок",
            "Статус",
            "Дата выполнения",
            "С опозданием",
            "Результат",
            "Отчитался",
            "Дата отчёта",
            "Раньше возвращали",
            "Подтверждение",
        ),
        widths=(40, 8, 60, 30, 16, 12, 18, 14, 12, 50, 24, 12, 40, 40),
        rows=lines(),
    )


def review_sheets(*, scope: Scope, roadmap_id: int | None = None) -> list[Sheet]:
    """«Требует проверки»: the deadlines to check (every page) and the checkpoints at odds with them.

    Queries: the activities with roadmaps, a batch at a time; the mismatches with their free checkpoints.
    """
    activities = review_activities(scope=scope, roadmap_id=roadmap_id)

    def deadline_lines() -> Iterator[list]:
        for activity in batched(activities):
            attach_review_reasons(activities=[activity])
            yield [
                activity.roadmap.title,
                activity.number,
                activity.title,
                activity.deadline_text,
                activity.schedule_description,
                "\n".join([str(activity.schedule_kind_label), *map(str, activity.reasons)]),
            ]

    mismatches = review_checkpoints(scope=scope, limit=None)  # the page lists them whatever ?roadmap= says
    return [
        Sheet(
            title="Сроки мероприятий",
            header=(
                "Дорожная карта",
                "№",
                "Мероприятие",
                "Срок (как в документе)",
                "Срок (разобранный)",
                "Замечания",
            ),
            widths=(40, 8, 60, 30, 30, 50),
            rows=deadline_lines(),
        ),
        Sheet(
            title="Расхождения",
            header=("Дорожная карта", "№", "Мероприятие", "Период", "Срок", "Статус", "Расхождение"),
            widths=(40, 8, 60, 16, 12, 18, 50),
            rows=(
                [
                    c.activity.roadmap.title,
                    c.activity.number,
                    c.activity.title,
                    c.period_label,
                    c.planned_due,
                    STATUS_LABELS.get(c.status, c.status),
                    c.schedule_mismatch,
                ]
                for c in mismatches
            ),
        ),
    ]


def roadmap_list_sheet(*, roadmaps: QuerySet[Roadmap]) -> Sheet:
    """The roadmap list with its filters, every page. Queries: the roadmaps with their activity counts."""
    rows = roadmaps.select_related("owner", "project").annotate(
        activity_total=Count("activities", distinct=True)
    )

    def lines() -> Iterator[list]:
        for roadmap in batched(rows):
            yield [
                roadmap.title,
                roadmap.project.name if roadmap.project_id else "",
                roadmap.owner.short_name,
                roadmap.get_level_display(),
                roadmap.period_display,
                roadmap.get_status_display(),
                roadmap.activity_total,
                _local_day(roadmap.updated_at),
            ]

    return Sheet(
        title="Дорожные карты",
        header=(
            "Наименование",
            "Проект",
            "Владелец",
            "Уровень",
            "Период",
            "Статус",
            "Мероприятий",
            "Изменена",
        ),
        widths=(60, 30, 30, 16, 12, 16, 12, 12),
        rows=lines(),
    )


def search_sheets(*, querysets: dict[str, QuerySet] | None) -> list[Sheet]:
    """Search results, one sheet per group, every row (none without a query). Queries: one per group, a
    batch at a time."""

    def rows(code: str) -> Iterable:
        return batched(querysets[code]) if querysets else ()

    def reasons(row) -> str:
        return ", ".join(reasons_of(row))

    return [
        Sheet(
            title="Дорожные карты",
            header=("Наименование", "Владелец", "Период", "Статус", "Где найдено"),
            widths=(60, 30, 12, 16, 30),
            rows=(
                [r.title, r.owner.short_name, r.period_display, r.get_status_display(), reasons(r)]
                for r in rows("roadmaps")
            ),
        ),
        Sheet(
            title="Мероприятия",
            header=(
                "Дорожная карта",
                "№",
                "Мероприятие",
                "Срок (как в документе)",
                "Ответственные",
                "Где найдено",
            ),
            widths=(40, 8, 60, 30, 30, 30),
            rows=(
                [a.roadmap.title, a.number, a.title, a.deadline_text, a.responsible_text, reasons(a)]
                for a in rows("activities")
            ),
        ),
        Sheet(
            title="Контрольные точки",
            header=(
                "Дорожная карта",
                "№",
                "Мероприятие",
                "Период",
                "Срок",
                "Статус",
                "Результат",
                "Где найдено",
            ),
            widths=(40, 8, 60, 16, 12, 18, 50, 30),
            rows=(
                [
                    c.activity.roadmap.title,
                    c.activity.number,
                    c.activity.title,
                    c.period_label,
                    c.planned_due,
                    STATUS_LABELS.get(c.status, c.status),
                    c.result,
                    reasons(c),
                ]
                for c in rows("checkpoints")
            ),
        ),
    ]
