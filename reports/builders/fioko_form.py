"""The federal coordinator's (FIOKO) report form: one row per activity under a fixed two-row header."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.builders._xlsx import TextRows, set_landscape_a4
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
DONE = Checkpoint.Status.DONE
REPORTED = (Checkpoint.Status.DONE, Checkpoint.Status.REPORTED)


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


# A checkpoint row: (activity_id, status, actual_text, actual_date, result).
def _actual_dates(checkpoints: list[tuple]) -> str:
    lines: list[str] = []
    for _activity, status, actual_text, actual_date, _result in checkpoints:
        if status not in REPORTED:
            continue
        text = actual_text or (actual_date.strftime("%d.%m.%Y") if actual_date else "")
        if text and text not in lines:
            lines.append(text)
    return "\n".join(lines)


def _results(planned_result: str, checkpoints: list[tuple]) -> str:
    lines = [
        result + (DONE_MARK if status == DONE else "")
        for _activity, status, _text, _date, result in checkpoints
        if result and status in REPORTED
    ]
    if lines:
        return "\n".join(lines)
    all_done = bool(checkpoints) and all(c[1] == DONE for c in checkpoints)
    return planned_result + DONE_MARK if planned_result and all_done else planned_result


class _Batch:
    """Responsibilities, checkpoints and evidence of a batch of activities: three flat queries."""

    def __init__(self, activity_ids: list[int], evidence_link: _EvidenceLinks) -> None:
        # The bounds add nothing logically; they let PostgreSQL use the activity_id index even before the
        # tables have planner statistics (it then takes a long IN list alone for a sequential scan's job).
        low, high = min(activity_ids), max(activity_ids)
        self.responsible: dict[int, list[str]] = defaultdict(list)
        self.evidence: dict[int, list[str]] = defaultdict(list)
        for activity_id, short, full, agreement in (
            Responsibility.objects.filter(
                activity_id__in=activity_ids, activity_id__gte=low, activity_id__lte=high
            )
            .order_by("activity_id", "position", "pk")
            .values_list("activity_id", "organization__short_name", "organization__full_name", "by_agreement")
        ):
            self.responsible[activity_id].append(
                (short or full) + (" (по согласованию)" if agreement else "")
            )
        # Checkpoints are the bulk (ten or more per activity): kept as the tuples the database returns.
        self.checkpoints = {
            activity_id: list(rows)
            for activity_id, rows in groupby(
                Checkpoint.objects.filter(
                    activity_id__in=activity_ids, activity_id__gte=low, activity_id__lte=high
                )
                .exclude(status=Checkpoint.Status.CANCELLED)
                .order_by("activity_id", "sequence", "planned_due", "pk")
                .values_list("activity_id", "status", "actual_text", "actual_date", "result"),
                key=itemgetter(0),
            )
        }
        for activity_id, *fields in (
            Evidence.objects.filter(
                checkpoint__activity_id__in=activity_ids,
                checkpoint__activity_id__gte=low,
                checkpoint__activity_id__lte=high,
            )
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
            ", ".join(self.responsible.get(pk, ())) or responsible_text,
            audience,
            links,
            "\n".join(self.evidence.get(pk, ())),
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
            yield [*(region_cells if done == 0 else ("", "")), *related.row(row)]
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
    rows = TextRows(ws)
    rows.append(
        ["" if i == MERGED_GROUP[1] else title for i, (title, _s, _w) in enumerate(COLUMNS, 1)], header=True
    )
    rows.append([subtitle or "" for _t, subtitle, _w in COLUMNS], header=True)
    for values in iter_form_rows(request):
        rows.append(values)
    rows.flush()
    wb.save(path)


class FiokoFormBuilder(ReportBuilder):
    """Отчёт о реализации мероприятий региональной «дорожной карты» по форме федерального координатора."""

    code = "fioko_form"
    title = "Отчёт по форме федерального координатора"
    formats = ("xlsx",)

    def build(self, request: BuildRequest, path: Path) -> None:
        write_form(request, path)
