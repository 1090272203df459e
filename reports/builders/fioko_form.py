"""The federal coordinator's (FIOKO) report form: one row per activity under a fixed two-row header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.builders._xlsx import set_landscape_a4, text_cell
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


def _header_rows(ws) -> list[list]:
    top, sub = [], []
    for index, (title, subtitle, _width) in enumerate(COLUMNS, start=1):
        top.append(text_cell(ws, "" if index == MERGED_GROUP[1] else title, header=True))
        sub.append(text_cell(ws, subtitle or "", header=True))
    return [top, sub]


def _merge_header(ws) -> None:
    # Write-only sheets cannot call merge_cells(); the ranges are added directly and written at save.
    for index, (_title, subtitle, _width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if subtitle is None:
            ws.merged_cells.add(f"{letter}1:{letter}2")
    first, last = (get_column_letter(i) for i in MERGED_GROUP)
    ws.merged_cells.add(f"{first}1:{last}1")


def activity_rows_queryset(roadmap_ids: list[int]):
    """Activities of the roadmaps in roadmap order, with everything a form row shows prefetched."""
    evidence = Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    checkpoints = Checkpoint.objects.exclude(status=Checkpoint.Status.CANCELLED).order_by(
        "sequence", "planned_due", "pk"
    )
    return (
        Activity.objects.filter(roadmap_id__in=roadmap_ids)
        .order_by("roadmap_id", "sort_key", "pk")
        .only(
            "pk",
            "roadmap_id",
            "title",
            "goal_and_tasks",
            "place_and_format",
            "planned_result",
            "target_audience",
            "links",
            "comment",
            "responsible_text",
            "deadline_text",
        )
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organization").order_by("position", "pk"),
            ),
            Prefetch("checkpoints", queryset=checkpoints.prefetch_related(evidence)),
        )
    )


class _EvidenceLinks:
    """Absolute links to uploaded evidence through the scope-checking download view, when it exists."""

    def __init__(self) -> None:
        try:
            self._pattern = settings.SITE_URL.rstrip("/") + reverse("roadmaps:evidence-download", args=[0])
        except NoReverseMatch:
            self._pattern = ""

    def __call__(self, evidence: Evidence) -> str:
        if evidence.url:
            return evidence.url
        if self._pattern:
            return self._pattern.replace("/0/", f"/{evidence.pk}/", 1)
        return f"{evidence.original_name or evidence.file.name} (файл на портале)"


def _actual_dates(checkpoints: list[Checkpoint]) -> str:
    lines = []
    for checkpoint in checkpoints:
        if checkpoint.status not in (Checkpoint.Status.DONE, Checkpoint.Status.REPORTED):
            continue
        text = checkpoint.actual_text or (
            checkpoint.actual_date.strftime("%d.%m.%Y") if checkpoint.actual_date else ""
        )
        if text and text not in lines:
            lines.append(text)
    return "\n".join(lines)


def _results(activity: Activity, checkpoints: list[Checkpoint]) -> str:
    lines = []
    for checkpoint in checkpoints:
        if checkpoint.result and checkpoint.status in (Checkpoint.Status.DONE, Checkpoint.Status.REPORTED):
            done = checkpoint.status == Checkpoint.Status.DONE
            lines.append(checkpoint.result + (DONE_MARK if done else ""))
    if lines:
        return "\n".join(lines)
    all_done = bool(checkpoints) and all(c.status == Checkpoint.Status.DONE for c in checkpoints)
    if activity.planned_result and all_done:
        return activity.planned_result + DONE_MARK
    return activity.planned_result


def _responsible(activity: Activity) -> str:
    names = [
        str(r.organization) + (" (по согласованию)" if r.by_agreement else "")
        for r in activity.responsibilities.all()
    ]
    return ", ".join(names) if names else activity.responsible_text


def form_row_values(activity: Activity, evidence_link: _EvidenceLinks) -> list[str]:
    """The form's columns 3–13 for one activity (the region columns are added by the caller)."""
    checkpoints = list(activity.checkpoints.all())
    evidence = [evidence_link(e) for c in checkpoints for e in c.evidence.all()]
    return [
        activity.title,
        activity.goal_and_tasks,
        activity.place_and_format,
        activity.deadline_text,
        _actual_dates(checkpoints),
        _results(activity, checkpoints),
        _responsible(activity),
        activity.target_audience,
        activity.links,
        "\n".join(dict.fromkeys(evidence)),
        "",
        activity.comment,
    ]


def iter_form_rows(request: BuildRequest) -> Iterator[list[str]]:
    """Rows of the form, region code and name on the first row only, streamed in chunks."""
    first = Roadmap.objects.filter(pk__in=request.roadmap_ids).select_related("owner__region").order_by("pk")
    first_roadmap = first.first()
    region = first_roadmap.owner.region if first_roadmap else None
    region_cells = [region.code, region.name] if region else ["", ""]
    evidence_link = _EvidenceLinks()
    total = None
    if request.progress is not None:
        total = Activity.objects.filter(roadmap_id__in=request.roadmap_ids).count() or 1
    for index, activity in enumerate(activity_rows_queryset(request.roadmap_ids).iterator(CHUNK_SIZE)):
        yield [*(region_cells if index == 0 else ["", ""]), *form_row_values(activity, evidence_link)]
        if total and index % CHUNK_SIZE == CHUNK_SIZE - 1:
            request.report_progress(95 * (index + 1) // total)


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
    for row in _header_rows(ws):
        ws.append(row)
    for values in iter_form_rows(request):
        ws.append([text_cell(ws, value) for value in values])
    wb.save(path)


class FiokoFormBuilder(ReportBuilder):
    """Отчёт о реализации мероприятий региональной «дорожной карты» по форме федерального координатора."""

    code = "fioko_form"
    title = "Отчёт по форме федерального координатора"
    formats = ("xlsx",)

    def build(self, request: BuildRequest, path: Path) -> None:
        write_form(request, path)
