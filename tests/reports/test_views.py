import datetime

import pytest
from django.urls import reverse

from reports.builders import ReportScope
from reports.models import ReportRun, ReportSchedule
from reports.selectors import SCOPE_CHOICE_LIMIT
from reports.services import report_run_request
from tests import factories


@pytest.fixture
def done_run(filled, world, django_capture_on_commit_callbacks) -> ReportRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(
            actor=world.analyst,
            kind="fioko_form",
            fmt="xlsx",
            scope=ReportScope(roadmap_id=filled.roadmap.pk),
            as_of=datetime.date(2025, 4, 1),
        )
    run.refresh_from_db()
    assert run.status == "done"
    return run


def _form(roadmap, **extra) -> dict:
    return {
        "scope": f"roadmap:{roadmap.pk}",
        "kind": "fioko_form",
        "format": "xlsx",
        "as_of": "01.04.2025",
        **extra,
    }


def test_analyst_requests_a_report_and_downloads_it(
    client, world, filled, django_capture_on_commit_callbacks
):
    client.force_login(world.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), _form(filled.roadmap))
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:run-detail", args=[run.pk]
    )
    page = client.get(reverse("reports:run-detail", args=[run.pk]))
    assert "Скачать" in page.content.decode()
    download = client.get(reverse("reports:run-download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_draft_option_builds_a_separate_file_named_as_a_draft(
    client, world, filled, django_capture_on_commit_callbacks
):
    client.force_login(world.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:index"), _form(filled.roadmap))
        client.post(reverse("reports:index"), _form(filled.roadmap, include_on_review="on"))
    final, draft = ReportRun.objects.order_by("pk")
    assert final.parameters["options"] == {} and draft.parameters["options"] == {"include_on_review": True}
    assert draft.reused_from is None and draft.data_fingerprint != final.data_fingerprint
    assert "(черновик)" in draft.download_name and "(черновик)" not in final.download_name


def test_progress_fragment_polls_while_the_run_is_queued(client, world, filled):
    run = report_run_request(
        actor=world.analyst,
        kind="monitoring",
        fmt="pdf",
        scope=ReportScope(roadmap_id=filled.roadmap.pk),
        as_of=datetime.date(2025, 4, 1),
    )  # on_commit never fires inside the test transaction: the run stays queued
    client.force_login(world.analyst)
    response = client.get(reverse("reports:run-detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and "<html" not in html


def test_coordinator_gets_403_when_requesting_a_report(client, world, filled):
    client.force_login(world.coordinator)
    assert client.post(reverse("reports:index"), _form(filled.roadmap)).status_code == 403
    assert not ReportRun.objects.exists()


def test_observer_may_request_but_not_a_roadmap_outside_scope(client, world):
    client.force_login(world.observer)
    response = client.post(reverse("reports:index"), _form(world.foreign_roadmap))
    assert response.status_code == 400
    assert not ReportRun.objects.exists()


def test_outsider_gets_404_on_another_regions_run_and_download(client, world, done_run):
    client.force_login(world.outsider)
    assert client.get(reverse("reports:run-detail", args=[done_run.pk])).status_code == 404
    assert client.get(reverse("reports:run-download", args=[done_run.pk])).status_code == 404


def test_coordinator_of_a_responsible_school_gets_404_on_the_run(client, world, done_run):
    client.force_login(world.coordinator)
    assert client.get(reverse("reports:run-download", args=[done_run.pk])).status_code == 404


def test_staff_in_scope_may_download_a_run_an_analyst_requested(client, world, done_run):
    client.force_login(world.staff)
    assert client.get(reverse("reports:run-download", args=[done_run.pk])).status_code == 200


# Expected queries, however many roadmaps are visible:
#   1. session  2. user  3. the user's memberships (scope)
#   4. at most SCOPE_CHOICE_LIMIT + 1 matching roadmaps  5. project-in-region groups
#   6. the user's recent runs with roadmap, project and region
@pytest.mark.parametrize("extra", [0, SCOPE_CHOICE_LIMIT + 5])
def test_index_page_query_count_is_fixed(client, world, done_run, django_assert_num_queries, extra):
    for n in range(extra):
        factories.RoadmapFactory(owner=world.region_org, title=f"Ещё план {n:03d}", edition=False)
    client.force_login(world.analyst)
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Отчёт по форме федерального координатора" in html and world.foreign_roadmap.title not in html
    assert html.count('value="roadmap:') == min(extra + 2, SCOPE_CHOICE_LIMIT)


def test_index_finds_a_roadmap_beyond_the_first_choices_by_search(client, world):
    for n in range(SCOPE_CHOICE_LIMIT + 5):
        factories.RoadmapFactory(owner=world.region_org, title=f"Ещё план {n:03d}", edition=False)
    client.force_login(world.analyst)
    first = client.get(reverse("reports:index")).content.decode()
    assert world.roadmap.title not in first and "уточните поиск" in first
    found = client.get(reverse("reports:index"), {"q": "дополнительного"}).content.decode()
    assert f'value="roadmap:{world.roadmap.pk}"' in found


def test_coordinator_sees_no_reports_on_the_index(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert "Вам не доступны отчёты" in response.content.decode()


def test_staff_creates_a_schedule_and_analyst_may_not(client, world):
    client.force_login(world.analyst)
    assert client.get(reverse("reports:schedule-list")).status_code == 403
    client.force_login(world.staff)
    response = client.post(
        reverse("reports:schedule-create"),
        {
            "scope": f"roadmap:{world.roadmap.pk}",
            "kind": "monitoring",
            "format": "pdf",
            "cadence": "dates",
            "day": "1",
            "quarter_month": "3",
            "dates": "18.06, 17.09",
            "recipients": "fioko@example.org\nkravets@example.org",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ReportSchedule.objects.get()
    assert saved.dates == ["18.06", "17.09"] and saved.created_by == world.staff
    assert client.get(reverse("reports:schedule-update", args=[saved.pk])).status_code == 200
    client.force_login(world.outsider)
    assert client.get(reverse("reports:schedule-update", args=[saved.pk])).status_code == 404
