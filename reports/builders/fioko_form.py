"""The federal coordinator's (FIOKO) report form: one row per activity under a fixed two-row header."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.builders._xlsx import TextRows, set_landscape_a4
from reports.builders.base import BuildRequest, ReportBuilder, report_file_name
from roadmaps import outcomes
from roadmaps.evidence_links import evidence_public_url
from roadmaps.models import (
    Activity,
    Checkpoint,
    Evidence,
    Indicator,
    IndicatorTarget,
    Responsibility,
    Roadmap,
)
from roadmaps.querysets import as_of_cutoff
from roadmaps.selectors.outcomes import indicator_actuals_as_of

CHUNK_SIZE = 2000
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
    "pk", "title", "goal_and_tasks", "place_and_format", "target_audience", "links", "comment",
    "responsible_text", "deadline_text",
)  # fmt: skip
ON_REVIEW_MARK = " (на проверке)"
# The draft option: reports not yet accepted are printed too, marked, for an internal check.
OPTION_ON_REVIEW = "include_on_review"


def _evidence_link(
    request: BuildRequest, *, pk: int, url: str, version: int, revoked_at, accepted: bool
) -> str:
    """A coordinator's link as they typed it; an accepted file as a signed public link; a file still on
    review (draft option) as the portal's login-only link; a revoked file not at all."""
    if url:
        return url
    if revoked_at is not None:
        return ""
    if accepted:
        return evidence_public_url(evidence_id=pk, link_version=version, as_of=request.as_of)
    return settings.SITE_URL.rstrip("/") + reverse("roadmaps:evidence-download", args=[pk])


class _Batch:
    """Responsibilities, indicators, checkpoints as of the date and evidence of a batch of activities."""

    def __init__(self, activity_ids: list[int], request: BuildRequest) -> None:
        # The bounds add nothing logically; they let PostgreSQL use the activity_id index even before the
        # tables have planner statistics (it then takes a long IN list alone for a sequential scan's job).
        low, high = min(activity_ids), max(activity_ids)
        in_batch = {"activity_id__in": activity_ids, "activity_id__gte": low, "activity_id__lte": high}
        as_of = request.as_of
        self.responsible: dict[int, list[str]] = defaultdict(list)
        for activity_id, short, full, agreement in (
            Responsibility.objects.filter(**in_batch)
            .order_by("activity_id", "position", "pk")
            .values_list("activity_id", "organization__short_name", "organization__full_name", "by_agreement")
        ):
            self.responsible[activity_id].append(
                (short or full) + (" (по согласованию)" if agreement else "")
            )
        self.indicators = self._indicator_lines(in_batch, as_of)
        # Checkpoints are the bulk (ten or more per activity): kept as the tuples the database returns.
        # Checkpoints cancelled as of the date (outcome None) are left out.
        self.checkpoints = {
            activity_id: [row for row in rows if row[2] is not None]
            for activity_id, rows in groupby(
                Checkpoint.objects.filter(**in_batch)
                .with_outcome_as_of(as_of)
                .order_by("activity_id", "sequence", "planned_due", "pk")
                .values_list(
                    "activity_id", "pk", "outcome", "is_due", "actual_text", "actual_date", "result"
                ),
                key=itemgetter(0),
            )
        }
        self.on_review = bool(request.parameters.get(OPTION_ON_REVIEW))
        self.evidence = self._evidence_links(in_batch, request)

    def _shown_checkpoints(self) -> dict[int, bool]:
        """Checkpoints whose report the form prints, each with whether it is accepted."""
        return {
            pk: outcome in outcomes.DONE_OUTCOMES
            for rows in self.checkpoints.values()
            for _activity, pk, outcome, *_rest in rows
            if outcome in outcomes.DONE_OUTCOMES or (self.on_review and outcome == outcomes.ON_REVIEW)
        }

    def _evidence_links(self, in_batch: dict, request: BuildRequest) -> dict[int, list[str]]:
        """Evidence uploaded by the date with a printed report, never that of a returned report."""
        shown = self._shown_checkpoints()
        links: dict[int, list[str]] = defaultdict(list)
        rows = (
            Evidence.objects.filter(
                **{f"checkpoint__{name}": value for name, value in in_batch.items()},
                uploaded_at__lt=as_of_cutoff(request.as_of),
                returned_at__isnull=True,
            )
            .order_by("checkpoint__activity_id", "checkpoint__sequence", "checkpoint_id", "pk")
            .values_list(
                "checkpoint__activity_id", "checkpoint_id", "pk", "url", "public_link_version",
                "public_link_revoked_at",
            )
        )  # fmt: skip
        for activity_id, checkpoint_id, pk, url, version, revoked_at in rows:
            if checkpoint_id not in shown:
                continue
            link = _evidence_link(
                request, pk=pk, url=url, version=version, revoked_at=revoked_at, accepted=shown[checkpoint_id]
            )
            if link and link not in links[activity_id]:
                links[activity_id].append(link)
        return links

    @staticmethod
    def _indicator_lines(in_batch: dict, as_of) -> dict[int, list[str]]:
        """«Доля …: план 45 %, факт 47,5 %» for the year of the date, per activity."""
        year = as_of.year
        indicators = list(
            Indicator.objects.filter(**in_batch)
            .annotate(
                target=Subquery(
                    IndicatorTarget.objects.filter(
                        indicator=OuterRef("pk"), year=year, organization__isnull=True
                    ).values("value")[:1]
                )
            )
            .order_by("activity_id", "position", "pk")
            .values_list("pk", "activity_id", "name", "unit", "target", "aggregation")
        )
        if not indicators:
            return {}
        actuals = indicator_actuals_as_of({row[0]: (row[3], row[5]) for row in indicators}, year, as_of)
        lines: dict[int, list[str]] = defaultdict(list)
        for pk, activity_id, name, unit, target, _aggregation in indicators:
            lines[activity_id].append(outcomes.indicator_line(name, unit, target, actuals[pk]))
        return lines

    def _facts(self, checkpoints: list[tuple]) -> tuple[str, list[str]]:
        """Column 6 (actual dates) and the result lines of column 7, from accepted reports only (and,
        with the draft option, reports on review marked as such)."""
        dates: list[str] = []
        results: list[str] = []
        for _activity, _pk, outcome, _due, actual_text, actual_date, result in checkpoints:
            accepted = outcome in outcomes.DONE_OUTCOMES
            if not accepted and not (self.on_review and outcome == outcomes.ON_REVIEW):
                continue
            mark = "" if accepted else ON_REVIEW_MARK
            text = actual_text or (actual_date.strftime("%d.%m.%Y") if actual_date else "")
            if text and text + mark not in dates:
                dates.append(text + mark)
            if result and result + mark not in results:
                results.append(result + mark)
        return "\n".join(dates), results

    def row(self, activity: tuple) -> list[str]:
        """The form's columns 3–13 for one activity (the region columns are added by the caller)."""
        pk, title, goal, place, audience, links, comment, responsible_text, deadline = activity
        checkpoints = self.checkpoints.get(pk, [])
        actual_dates, results = self._facts(checkpoints)
        lines = [*self.indicators.get(pk, ()), *results]
        if lines and outcomes.activity_complete((row[2], row[3]) for row in checkpoints):
            lines[-1] += DONE_MARK
        return [
            title,
            goal,
            place,
            deadline,
            actual_dates,
            "\n".join(lines),
            ", ".join(self.responsible.get(pk, ())) or responsible_text,
            audience,
            links,
            "\n".join(self.evidence.get(pk, ())),
            "",
            comment,
        ]


def iter_form_rows(request: BuildRequest) -> Iterator[list[str]]:
    """Rows of the form in roadmap order, each with its region's code and name.

    The region goes on every row although the federal coordinator's sample fills it once: the
    coordinator merges the forms of 89 regions and sorts or filters them, and a row without its region
    is then anonymous. Activities stream from one cursor; every CHUNK_SIZE of them costs a few more flat
    queries, so memory and the number of queries per row stay flat however long the roadmap is.
    """
    first = Roadmap.objects.filter(pk__in=request.roadmap_ids).select_related("owner__region").order_by("pk")
    first_roadmap = first.first()
    region = first_roadmap.owner.region if first_roadmap else None
    region_cells = [region.code, region.name] if region else ["", ""]
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
        related = _Batch([row[0] for row in batch], request)
        for row in batch:
            yield [*region_cells, *related.row(row)]
            done += 1
        # Freed before the next batch is read, so only one batch is ever held: memory stays flat.
        del related, batch
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
    version = 2  # as-of facts, indicators in column 7, region on every row, public evidence links

    def file_name(self, request: BuildRequest) -> str:
        draft = " (черновик)" if request.parameters.get(OPTION_ON_REVIEW) else ""
        return report_file_name(f"{self.title}{draft}", request)

    def build(self, request: BuildRequest, path: Path) -> None:
        write_form(request, path)
