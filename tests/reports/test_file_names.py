"""Report files are named by kind, date and what they cover, so two roadmaps' reports of one day differ."""

import datetime
from urllib.parse import unquote

from django.urls import reverse

from reports.builders import BuildRequest, ReportScope, get_builder
from reports.models import ReportRun
from reports.services import report_run_request
from tests import factories

AS_OF = datetime.date(2025, 4, 1)


def _file_name(code: str, scope: ReportScope, fmt: str) -> str:
    return get_builder(code).file_name(BuildRequest(scope=scope, roadmap_ids=[], as_of=AS_OF, format=fmt))


def test_two_roadmaps_reports_of_one_day_get_different_names(world):
    other = factories.RoadmapFactory(
        owner=world.region_org, title="Успех каждого ребенка", year_start=2025, year_end=2025
    )

    names = {
        _file_name("monitoring", ReportScope(roadmap_id=roadmap.pk), "pdf")
        for roadmap in (world.roadmap, other)
    }

    assert names == {
        "Аналитическая справка о ходе реализации на 01.04.2025"
        " — Дорожная карта развития дополнительного образования на 2024–2026 годы.pdf",
        "Аналитическая справка о ходе реализации на 01.04.2025"
        " — Дорожная карта «Успех каждого ребенка» на 2025 год.pdf",
    }


def test_a_project_and_region_report_is_named_by_both(world):
    project = factories.ProjectFactory(name="Успех каждого ребенка")
    scope = ReportScope(project_id=project.pk, region_id=world.region_org.region_id)

    name = _file_name("fioko_form", scope, "xlsx")

    assert name == (
        "Отчёт по форме федерального координатора на 01.04.2025 — Успех каждого ребенка, Томская область.xlsx"
    )


def test_the_download_sends_the_name_as_rfc_5987_utf_8(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_run_request(
            actor=world.analyst,
            kind="fioko_form",
            fmt="xlsx",
            scope=ReportScope(roadmap_id=world.roadmap.pk),
            as_of=AS_OF,
        )
    run = ReportRun.objects.get()
    client.force_login(world.analyst)

    response = client.get(reverse("reports:run-download", args=[run.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == run.download_name
    assert run.download_name.endswith(
        "— Дорожная карта развития дополнительного образования на 2024–2026 годы.xlsx"
    )
