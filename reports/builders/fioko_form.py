"""The federal coordinator's (FIOKO) report form: one row per activity under a fixed two-row header."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.builders._xlsx import CellFactory, set_landscape_a4
from reports.builders.base import BuildRequest, ReportBuilder
from roadmaps.models import Activity, Checkpoint, Evidence, Responsibility, Roadmap

CHUNK_SIZE = 500
DONE_MARK = " (выполнено)"

# (header, sub-header or None, column width); column 4 spans the two sub-columns 4a and 4b.
COLUMNS: tuple[tuple[str, str | None, int], ...] = (
    ("Код региона", None, 8),
    ("Регион", None, 14),
    ("Все мероприятия региональной «дорожной карты» проекта «500+»", None, 40),
    ("Краткое описание мероприятия", "Цель и задачи мероприятия", 30),
    ("Краткое описание мероприятия", "Место и формат проведения мероприятия", 22),
    ("Планируемая дата проведения мероприятия", None, 16),
    ("Фактическая дата проведения мероприятия", None, 16),
    ("Региональные показатели результативности", None, 30),
    ("Организация, ответственная за проведение мероприятия", None, 20),
    ("Целевая аудитория мероприятия", None, 18),
    ("Ссылка на информационное сопровождение мероприятия", None, 28),
    ("Ссылка на размещённые подтверждающие документы", None, 28),
    ("Дополнительная ссылка", None, 18),
    ("Комментарий", None, 20),
)
HEADER_ROWS = 2
MERGED_GROUP = (4, 5)  # 1-based physical columns of 4a and 4b


def _merge_header(ws) -> None:
    # Write-only sheets cannot call merge_cells(); the ranges are added directly and written at save.
    for index, (_title, subtitle, _width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if subtitle is None:
            ws.merged_cells.add(f"{letter}1:{letter}2")
    first, last = (get_column_letter(i) for i in MERGED_GROUP)
    ws.merged_cells.add(f"{first}1:{last}1")


ACTIVITY_FIELDS = (
    "pk", "title", "goal_and_tasks", "place_and_format", "planned_result", "target_audience", "links",
    "comment", "responsible_text", "deadline_text",
)  # fmt: skip
REPORTED = (Checkpoint.Status.DONE, Checkpoint.Status.REPORTED)


@dataclass(frozen=True, slots=True)
class _Checkpoint:
    status: str
    actual_text: str
    actual_date: datetime.date | None
    result: str


class _EvidenceLinks:
    """Absolute links to uploaded evidence through the scope-checking download view, when it exists."""

    def __init__(self) -> None:
        try:
            self._pattern = settings.SITE_URL.rstrip("/") + reverse("roadmaps:evidence-download", args=[0])
        except NoReverseMatch:
            self._pattern = ""

    def __call__(self, pk: int, url: str, file_name: str, original_name: str) -> str:
        if url:
            return url
        if self._pattern:
            return self._pattern.replace("/0/", f"/{pk}/", 1)
        return f"{original_name or file_name} (файл на портале)"


def _actual_dates(checkpoints: list[_Checkpoint]) -> str:
    lines: list[str] = []
    for checkpoint in checkpoints:
        if checkpoint.status not in REPORTED:
            continue
        text = checkpoint.actual_text or (
            checkpoint.actual_date.strftime("%d.%m.%Y") if checkpoint.actual_date else ""
        )
        if text and text not in lines:
            lines.append(text)
    return "\n".join(lines)


def _results(planned_result: str, checkpoints: list[_Checkpoint]) -> str:
    lines = [
        c.result + (DONE_MARK if c.status == Checkpoint.Status.DONE else "")
        for c in checkpoints
        if c.result and c.status in REPORTED
    ]
    if lines:
        return "\n".join(lines)
    all_done = bool(checkpoints) and all(c.status == Checkpoint.Status.DONE for c in checkpoints)
    return planned_result + DONE_MARK if planned_result and all_done else planned_result


class _Batch:
    """Responsibilities, checkpoints and evidence of a batch of activities: three flat queries."""

    def __init__(self, activity_ids: list[int], evidence_link: _EvidenceLinks) -> None:
        self.responsible: dict[int, list[str]] = defaultdict(list)
        self.checkpoints: dict[int, list[_Checkpoint]] = defaultdict(list)
        self.evidence: dict[int, list[str]] = defaultdict(list)
        for activity_id, short, full, agreement in (
            Responsibility.objects.filter(activity_id__in=activity_ids)
            .order_by("activity_id", "position", "pk")
            .values_list("activity_id", "organization__short_name", "organization__full_name", "by_agreement")
        ):
            self.responsible[activity_id].append(
                (short or full) + (" (по согласованию)" if agreement else "")
            )
        for activity_id, *fields in (
            Checkpoint.objects.filter(activity_id__in=activity_ids)
            .exclude(status=Checkpoint.Status.CANCELLED)
            .order_by("activity_id", "sequence", "planned_due", "pk")
            .values_list("activity_id", "status", "actual_text", "actual_date", "result")
        ):
            self.checkpoints[activity_id].append(_Checkpoint(*fields))
        for activity_id, *fields in (
            Evidence.objects.filter(checkpoint__activity_id__in=activity_ids)
            .exclude(checkpoint__status=Checkpoint.Status.CANCELLED)
            .order_by("checkpoint__activity_id", "checkpoint__sequence", "checkpoint_id", "pk")
            .values_list("checkpoint__activity_id", "pk", "url", "file", "original_name")
        ):
            link = evidence_link(*fields)
            if link not in self.evidence[activity_id]:
                self.evidence[activity_id].append(link)

    def row(self, activity: tuple) -> list[str]:
        """The form's columns 3–13 for one activity (the region columns are added by the caller)."""
        pk, title, goal, place, planned_result, audience, links, comment, responsible_text, deadline = (
            activity
        )
        checkpoints = self.checkpoints.get(pk, [])
        return [
            title,
            goal,
            place,
            deadline,
            _actual_dates(checkpoints),
            _results(planned_result, checkpoints),
            ", ".join(self.responsible.get(pk, [])) or responsible_text,
            audience,
            links,
            "\n".join(self.evidence.get(pk, [])),
            "",
            comment,
        ]


def iter_form_rows(request: BuildRequest) -> Iterator[list[str]]:
    """Rows of the form in roadmap order, region code and name on the first row only.

    Activities stream from one cursor; every CHUNK_SIZE of them costs three more flat queries, so memory
    and the number of queries per row stay flat however long the roadmap is.
    """
    first = Roadmap.objects.filter(pk__in=request.roadmap_ids).select_related("owner__region").order_by("pk")
    first_roadmap = first.first()
    region = first_roadmap.owner.region if first_roadmap else None
    region_cells = [region.code, region.name] if region else ["", ""]
    evidence_link = _EvidenceLinks()
    total = None
    if request.progress is not None:
        total = Activity.objects.filter(roadmap_id__in=request.roadmap_ids).count() or 1
    activities = (
        Activity.objects.filter(roadmap_id__in=request.roadmap_ids)
        .order_by("roadmap_id", "sort_key", "pk")
        .values_list(*ACTIVITY_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    done = 0
    while batch := list(islice(activities, CHUNK_SIZE)):
        related = _Batch([row[0] for row in batch], evidence_link)
        for row in batch:
            yield [*(region_cells if done == 0 else ["", ""]), *related.row(row)]
            done += 1
        if total:
            request.report_progress(95 * done // total)


def write_form(request: BuildRequest, path: Path) -> None:
    """Write the FIOKO form to `path` in openpyxl's write-only mode, so memory stays flat."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Отчёт")
    wb.properties.title = "Отчёт о реализации мероприятий региональной «дорожной карты»"
    for index, (_title, _sub, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    set_landscape_a4(ws, title_rows=f"1:{HEADER_ROWS}")
    _merge_header(ws)
    cell = CellFactory(ws)
    ws.append(
        [
            cell("" if i == MERGED_GROUP[1] else title, header=True)
            for i, (title, _s, _w) in enumerate(COLUMNS, 1)
        ]
    )
    ws.append([cell(subtitle or "", header=True) for _t, subtitle, _w in COLUMNS])
    for values in iter_form_rows(request):
        ws.append([cell(value) for value in values])
    wb.save(path)


class FiokoFormBuilder(ReportBuilder):
    """Отчёт о реализации мероприятий региональной «дорожной карты» по форме федерального координатора."""

    code = "fioko_form"
    title = "Отчёт по форме федерального координатора"
    formats = ("xlsx",)

    def build(self, request: BuildRequest, path: Path) -> None:
        write_form(request, path)
