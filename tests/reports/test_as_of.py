"""Truth as of a date: the FIOKO form, the monitoring report and the dashboard, built as of D, count
only what was accepted by the end of D, print only the evidence of accepted reports, and agree.

The scenario is written through the services on the days things happen (time-machine moves the clock),
so every report, acceptance and return carries the time it would carry in real life.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.builders import BuildRequest, ReportScope, get_builder
from reports.builders.fioko_form import OPTION_ON_REVIEW
from roadmaps import selectors, services
from roadmaps.models import Checkpoint
from tests import factories

D = datetime.date(2025, 3, 31)
LATER = datetime.date(2025, 6, 30)
# Columns of the form's data rows (0-based): 5 actual date, 6 indicators and results, 10 evidence.
ACTUAL, RESULTS, EVIDENCE = 6, 7, 11


def day(value: str) -> datetime.date:
    return datetime.datetime.strptime(value, "%d.%m.%Y").date()


@contextmanager
def on(value: str):
    noon = timezone.make_aware(datetime.datetime.combine(day(value), datetime.time(12)))
    with time_machine.travel(noon, tick=False):
        yield


class Scenario:
    """Eight activities of one roadmap, one checkpoint each, in every state a quarterly report meets."""

    def __init__(self, world) -> None:
        self.world = world
        self.roadmap = factories.RoadmapFactory(owner=world.region_org, title="План на 2025 год")
        self.checkpoints: dict[str, Checkpoint] = {}
        for number, (code, due) in enumerate(
            [
                ("accepted_before", "15.03.2025"),
                ("accepted_after", "20.03.2025"),
                ("reported_only", "25.03.2025"),
                ("returned", "28.02.2025"),
                ("cancelled", "10.03.2025"),
                ("late", "31.01.2025"),
                ("future", "31.05.2025"),
                ("after_date", "30.04.2025"),
            ],
            start=1,
        ):
            activity = factories.ActivityFactory(
                roadmap=self.roadmap, number=f"{number}.", title=f"Мероприятие {code}", deadline_text=due
            )
            factories.ResponsibilityFactory(activity=activity, organization=world.school)
            status = Checkpoint.Status.CANCELLED if code == "cancelled" else Checkpoint.Status.PLANNED
            self.checkpoints[code] = factories.CheckpointFactory(
                activity=activity, planned_start=None, planned_due=day(due), status=status
            )
        self.indicator = factories.IndicatorFactory(
            roadmap=self.roadmap,
            activity=self.checkpoints["accepted_before"].activity,
            name="Доля школ, вышедших из зоны риска",
            unit="%",
        )
        factories.IndicatorTargetFactory(indicator=self.indicator, year=2025, value=45)

    def report(self, code: str, when: str, result: str, **evidence) -> None:
        with on(when):
            checkpoint = Checkpoint.objects.get(pk=self.checkpoints[code].pk)
            services.checkpoint_report(
                actor=self.world.coordinator, checkpoint=checkpoint, actual_date=day(when), result=result,
                **evidence,
            )  # fmt: skip

    def accept(self, code: str, when: str) -> None:
        with on(when):
            checkpoint = Checkpoint.objects.get(pk=self.checkpoints[code].pk)
            services.checkpoint_accept(actor=self.world.staff, checkpoint=checkpoint)

    def give_back(self, code: str, when: str) -> None:
        with on(when):
            checkpoint = Checkpoint.objects.get(pk=self.checkpoints[code].pk)
            services.checkpoint_return(actor=self.world.staff, checkpoint=checkpoint, reason="Нет протокола")

    def indicator_value(self, when: str, value: str) -> None:
        with on(when):
            services.indicator_value_set(
                actor=self.world.coordinator, indicator=self.indicator, year=2025,
                organization=self.world.school, value=Decimal(value),
            )  # fmt: skip


@pytest.fixture
def scenario(world) -> Scenario:
    s = Scenario(world)
    protocol = SimpleUploadedFile("протокол.pdf", b"%PDF-1.4 protocol", content_type="application/pdf")
    s.report("accepted_before", "10.03.2025", "Проведён семинар", file=protocol)
    s.accept("accepted_before", "20.03.2025")
    s.report("accepted_after", "25.03.2025", "Проведено совещание")
    s.accept("accepted_after", "05.04.2025")
    s.report("reported_only", "28.03.2025", "Отчёт направлен")
    s.report("returned", "20.02.2025", "Черновик", url="https://example.org/returned")
    s.give_back("returned", "01.03.2025")
    s.report("returned", "10.04.2025", "Исправлено", url="https://example.org/second")
    s.accept("returned", "12.04.2025")
    s.report("late", "10.02.2025", "Проведено с опозданием")
    s.accept("late", "12.02.2025")
    s.report("after_date", "20.04.2025", "Проведено в апреле")
    s.accept("after_date", "22.04.2025")
    s.indicator_value("15.03.2025", "47.5")
    s.indicator_value("01.05.2025", "50")
    return s


def form_rows(tmp_path, roadmap, as_of: datetime.date, **options) -> dict[str, tuple]:
    path = tmp_path / f"form-{as_of}-{len(options)}.xlsx"
    request = BuildRequest(
        scope=ReportScope(roadmap_id=roadmap.pk),
        roadmap_ids=[roadmap.pk],
        as_of=as_of,
        format="xlsx",
        parameters=options,
    )
    get_builder("fioko_form").build(request, path)
    rows = openpyxl.load_workbook(path).active.iter_rows(min_row=3, values_only=True)
    return {row[2].removeprefix("Мероприятие "): row for row in rows}


def monitoring_summary(tmp_path, roadmap, as_of: datetime.date) -> dict[str, object]:
    path = tmp_path / f"monitoring-{as_of}.xlsx"
    request = BuildRequest(
        scope=ReportScope(roadmap_id=roadmap.pk), roadmap_ids=[roadmap.pk], as_of=as_of, format="xlsx"
    )
    get_builder("monitoring").build(request, path)
    sheet = openpyxl.load_workbook(path)["Итоги"]
    return {label: value for label, value in sheet.iter_rows(min_row=2, values_only=True)}


def test_form_as_of_d_lists_only_reports_accepted_by_d_with_their_evidence(scenario, tmp_path, client):
    rows = form_rows(tmp_path, scenario.roadmap, D)
    first = rows["accepted_before"]
    assert first[ACTUAL] == "10.03.2025"
    assert first[RESULTS] == (
        "Доля школ, вышедших из зоны риска: план 45 %, факт 47,5 %\nПроведён семинар (выполнено)"
    )
    assert first[EVIDENCE].startswith("https://portal.example.org/public/evidence/")
    assert rows["late"][ACTUAL] == "10.02.2025"
    assert rows["late"][RESULTS] == "Проведено с опозданием (выполнено)"
    # Accepted only after D, still on review, returned (with its evidence), cancelled, not yet reported:
    # as of D none of them has a fact, a result or a link.
    for code in ("accepted_after", "reported_only", "returned", "cancelled", "future", "after_date"):
        assert (rows[code][ACTUAL], rows[code][RESULTS], rows[code][EVIDENCE]) == (None, None, None), code

    # The accepted file opens for a reviewer without an account.
    client.logout()
    response = client.get(first[EVIDENCE].removeprefix("https://portal.example.org"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 protocol"


def test_form_as_of_a_later_date_has_the_later_facts_and_only_the_accepted_reports_evidence(
    scenario, tmp_path
):
    rows = form_rows(tmp_path, scenario.roadmap, LATER)
    assert rows["accepted_after"][ACTUAL] == "25.03.2025"
    assert rows["accepted_after"][RESULTS] == "Проведено совещание (выполнено)"
    assert rows["returned"][ACTUAL] == "10.04.2025"
    assert rows["returned"][EVIDENCE] == "https://example.org/second"  # never the returned report's link
    assert rows["after_date"][RESULTS] == "Проведено в апреле (выполнено)"
    assert rows["accepted_before"][RESULTS].startswith(
        "Доля школ, вышедших из зоны риска: план 45 %, факт 50 %\n"
    )
    assert (rows["reported_only"][ACTUAL], rows["cancelled"][ACTUAL], rows["future"][ACTUAL]) == (None,) * 3


def test_draft_option_prints_reports_on_review_marked_and_keeps_returned_ones_out(scenario, tmp_path):
    rows = form_rows(tmp_path, scenario.roadmap, D, **{OPTION_ON_REVIEW: True})
    assert rows["accepted_after"][ACTUAL] == "25.03.2025 (на проверке)"
    assert rows["accepted_after"][RESULTS] == "Проведено совещание (на проверке)"
    assert rows["reported_only"][RESULTS] == "Отчёт направлен (на проверке)"
    assert rows["returned"][ACTUAL] is None and rows["returned"][EVIDENCE] is None
    assert rows["accepted_before"][RESULTS].endswith("Проведён семинар (выполнено)")


def test_form_as_of_d_is_the_same_after_later_edits(scenario, tmp_path):
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before = form_rows(tmp_path / "before", scenario.roadmap, D)
    scenario.accept("reported_only", "01.07.2025")
    scenario.indicator_value("02.07.2025", "90")
    scenario.report("future", "03.07.2025", "Сделано позже")
    assert form_rows(tmp_path / "after", scenario.roadmap, D) == before


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # on time, late, on review, overdue, not yet due; due by the date; share done among them
        (D, (1, 1, 2, 1, 2, 5, 40.0)),
        (LATER, (2, 3, 1, 1, 0, 7, round(5 * 100 / 7, 1))),
    ],
)
def test_form_monitoring_and_dashboard_agree_on_the_same_date(scenario, tmp_path, as_of, expected):
    on_time, late, *_counts, share = expected
    summary = monitoring_summary(tmp_path, scenario.roadmap, as_of)
    assert (
        summary["Выполнено в срок"],
        summary["Выполнено с опозданием"],
        summary["На проверке"],
        summary["Просрочено"],
        summary["Срок не наступил"],
        summary["Контрольных точек со сроком до даты мониторинга"],
        summary["Доля выполненных контрольных точек, %"],
    ) == expected
    totals = selectors.roadmap_dashboard(roadmap=scenario.roadmap, as_of=as_of).totals
    assert (totals.on_time, totals.late, totals.reported, totals.overdue, totals.upcoming) == expected[:5]
    assert totals.done_share == share
    rows = form_rows(tmp_path, scenario.roadmap, as_of)
    with_facts = [code for code, row in rows.items() if row[ACTUAL]]
    assert len(with_facts) == on_time + late
    assert summary["Из них выполнено"] == sum(
        1 for row in rows.values() if (row[RESULTS] or "").endswith("(выполнено)")
    )
