"""Аналитическая справка: the share of activities and checkpoints done as of a date, as PDF or Excel."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from reports.builders._pdf import render_pdf
from reports.builders._xlsx import CellFactory, set_landscape_a4
from reports.builders.base import BuildRequest, ReportBuilder
from reports.builders.monitoring_data import MonitoringData, monitoring_data
from roadmaps.outcomes import OutcomeCounts

COUNT_HEADERS = (
    "Всего",
    "Срок наступил",
    "Выполнено",
    "В срок",
    "С опозданием",
    "На проверке",
    "Просрочено",
    "Доля выполненных, %",
)


def _counts_values(counts: OutcomeCounts) -> list:
    return [
        counts.label,
        counts.total,
        counts.due,
        counts.done,
        counts.on_time,
        counts.late,
        counts.reported,
        counts.overdue,
        _share(counts.done_share),
    ]


def _share(value: float | None):
    return value if value is not None else ""


def _sheet(wb: Workbook, title: str, headers: tuple[str, ...], widths: tuple[int, ...]):
    ws = wb.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    set_landscape_a4(ws, title_rows="1:1")
    cell = CellFactory(ws)
    ws.append([cell(h, header=True) for h in headers])
    return ws, cell


def _write_counts_sheet(
    wb: Workbook, title: str, first: str, rows: list[OutcomeCounts], *, chart: bool
) -> None:
    ws, cell = _sheet(wb, title, (first, *COUNT_HEADERS), (48, 9, 10, 11, 9, 11, 11, 11, 12))
    for counts in rows:
        ws.append([cell(value) for value in _counts_values(counts)])
    if chart and rows:
        bar = BarChart()
        bar.type = "bar"
        bar.title = "Доля выполненных контрольных точек, %"
        bar.y_axis.scaling.min = 0
        bar.y_axis.scaling.max = 100
        bar.legend = None
        bar.height = max(7.5, 0.6 * len(rows))
        bar.add_data(Reference(ws, min_col=9, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        ws.add_chart(bar, "K2")


def write_monitoring_xlsx(data: MonitoringData, path: Path) -> None:
    """Summary, sections (with a bar chart), organisations, overdue checkpoints and indicators."""
    wb = Workbook(write_only=True)
    summary, summary_cell = _sheet(wb, "Итоги", ("Показатель", "Значение"), (60, 20))
    activities = data.activities
    lines = [
        ("Дорожные карты", "; ".join(data.roadmap_titles)),
        ("По состоянию на", data.as_of.strftime("%d.%m.%Y")),
        ("Мероприятий всего", activities.total),
        ("Мероприятий со сроком до даты мониторинга", activities.due),
        ("Из них выполнено", activities.done),
        ("Доля выполненных мероприятий, %", _share(activities.done_share)),
        ("Мероприятий с просроченными контрольными точками", activities.overdue),
        ("Контрольных точек всего", data.checkpoints.total),
        ("Контрольных точек со сроком до даты мониторинга", data.checkpoints.due),
        ("Выполнено в срок", data.checkpoints.on_time),
        ("Выполнено с опозданием", data.checkpoints.late),
        ("На проверке", data.checkpoints.reported),
        ("Просрочено", data.checkpoints.overdue),
        ("Срок не наступил", data.checkpoints.upcoming),
        ("Доля выполненных контрольных точек, %", _share(data.checkpoints.done_share)),
    ]
    for label, value in lines:
        summary.append([summary_cell(label), summary_cell(value)])
    _write_counts_sheet(wb, "По разделам", "Раздел", data.sections, chart=True)
    _write_counts_sheet(wb, "По организациям", "Организация", data.organizations, chart=False)

    overdue, overdue_cell = _sheet(
        wb, "Просрочено", ("№", "Мероприятие", "Период", "Срок", "Ответственные"), (8, 60, 16, 12, 40)
    )
    for checkpoint in data.overdue:
        names = ", ".join(str(r.organization) for r in checkpoint.activity.responsibilities.all())
        values = [
            checkpoint.activity.number,
            checkpoint.activity.title,
            checkpoint.period_label,
            checkpoint.planned_due.strftime("%d.%m.%Y") if checkpoint.planned_due else "",
            names or checkpoint.activity.responsible_text,
        ]
        overdue.append([overdue_cell(v) for v in values])
    if data.overdue_more:
        overdue.append([overdue_cell(""), overdue_cell(f"и ещё {data.overdue_more}")])

    indicators, indicator_cell = _sheet(
        wb,
        "Показатели",
        ("Показатель", "Ед. изм.", "Год", "Целевое значение", "Фактическое значение", "Достижение, %"),
        (60, 10, 8, 14, 14, 14),
    )
    for row in data.indicators:
        values = [
            row.name,
            row.unit,
            row.year,
            row.target if row.target is not None else "",
            row.actual if row.actual is not None else "",
            row.achievement if row.achievement is not None else "",
        ]
        indicators.append([indicator_cell(v) for v in values])
    wb.save(path)


class MonitoringBuilder(ReportBuilder):
    """Аналитическая справка о доле исполненных мероприятий дорожной карты на дату мониторинга."""

    code = "monitoring"
    title = "Аналитическая справка о ходе реализации"
    formats = ("pdf", "xlsx")
    version = 2  # counts as of the date through the outcome vocabulary

    def build(self, request: BuildRequest, path: Path) -> None:
        data = monitoring_data(request.roadmap_ids, request.as_of)
        request.report_progress(60)
        if request.format == "xlsx":
            write_monitoring_xlsx(data, path)
        else:
            render_pdf(
                "reports/pdf/monitoring.html", {"data": data, "title": self.title, **_pdf_lists(data)}, path
            )


# A brief of a few pages however large the region: the PDF lists the first rows of each long table (the
# organisations with the most overdue first) and says how many more the Excel version holds.
PDF_ROWS = 100
PDF_TITLES = 30


def _pdf_lists(data: MonitoringData) -> dict:
    lists = {
        "titles": (data.roadmap_titles, PDF_TITLES),
        "sections": (data.sections, PDF_ROWS),
        "organizations": (data.organizations, PDF_ROWS),
        "indicators": (data.indicators, PDF_ROWS),
    }
    return {
        name: {"rows": rows[:limit], "more": max(0, len(rows) - limit)}
        for name, (rows, limit) in lists.items()
    }
