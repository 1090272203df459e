"""Report kinds and formats are named by their Russian titles on every page, never by their codes."""

import datetime
import re

import pytest
from django.urls import reverse

from reports.models import ReportRun, ReportSchedule

CODES = ("fioko_form", "monitoring (pdf)", "(xlsx)", "(pdf)")
TAG = re.compile(r"<[^>]+>")  # option values and URLs may hold codes; what people read may not


@pytest.fixture
def run_and_schedule(world):
    run = ReportRun.objects.create(
        kind="fioko_form",
        format="xlsx",
        roadmap=world.roadmap,
        as_of=datetime.date(2025, 4, 1),
        requested_by=world.staff,
        parameters={"roadmap_ids": [world.roadmap.pk]},
    )
    schedule = ReportSchedule.objects.create(
        kind="monitoring", format="pdf", roadmap=world.roadmap, cadence="monthly", created_by=world.staff
    )
    return run, schedule


def test_a_run_and_a_schedule_are_named_by_the_report_title_and_the_format_label(run_and_schedule):
    run, schedule = run_and_schedule
    assert run.title == "Отчёт по форме федерального координатора — Excel (.xlsx)"
    assert str(run) == "Отчёт по форме федерального координатора — Excel (.xlsx) на 01.04.2025 (в очереди)"
    assert str(schedule) == "Аналитическая справка о ходе реализации — PDF, ежемесячно"


def test_an_unknown_kind_falls_back_to_its_code():
    assert ReportRun(kind="retired_report", format="pdf").kind_title == "retired_report"


@pytest.mark.parametrize("page", ["index", "schedule-list", "run-detail"])
def test_report_pages_show_no_kind_or_format_code(client, world, run_and_schedule, page):
    run, _ = run_and_schedule
    client.force_login(world.staff)
    url = reverse(f"reports:{page}", args=[run.pk] if page == "run-detail" else [])
    text = TAG.sub("", client.get(url).content.decode())
    assert not [code for code in CODES if code in text]
    title = "Аналитическая справка о ходе реализации — PDF" if page == "schedule-list" else run.title
    assert title in text


def test_the_list_of_reports_names_formats_by_their_labels(client, world):
    client.force_login(world.analyst)
    text = client.get(reverse("reports:index")).content.decode()
    assert "<b>Аналитическая справка о ходе реализации</b> — PDF, Excel (.xlsx)" in text
