"""Every list endpoint reads the same number of queries for 3 rows as for 30 (pinned), and the roadmap
detail the same for 3 activities as for 30."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ReportRun
from roadmaps.models import Roadmap
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# Every request: the token with its owner, the owner's memberships (the scope); the rest per endpoint.
LISTS = {
    "/api/v1/organizations/": 3,  # + the page with its regions
    "/api/v1/projects/": 3,  # + the page with its regions
    "/api/v1/roadmaps/": 3,  # + the page
    "/api/v1/activities/": 5,  # + the visible roadmaps' ids, the page, its responsibilities
    "/api/v1/checkpoints/": 5,  # + the visible roadmaps' ids, the page with its outcome, its evidence
    "/api/v1/indicators/": 6,  # + the visible roadmaps' ids, the page, its targets, its values in scope
    "/api/v1/report-runs/": 2,  # the token and the page: one's own runs need no scope
}
ROADMAP_DETAIL = 6  # token, scope, the roadmap, its sections, activities, their responsibilities


def _rows(world, count: int, tmp_path) -> Roadmap:
    roadmap = factories.RoadmapFactory(owner=world.region_org)
    for number in range(count):
        school = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
        factories.ProjectFactory(region=world.region_org.region, level="regional")
        factories.RoadmapFactory(owner=world.region_org)
        section = factories.SectionFactory(roadmap=roadmap)
        activity = factories.ActivityFactory(roadmap=roadmap, section=section, number=f"{number + 1}.")
        factories.ResponsibilityFactory(activity=activity, organization=school)
        checkpoint = factories.CheckpointFactory(activity=activity)
        factories.EvidenceFactory(checkpoint=checkpoint)
        indicator = factories.IndicatorFactory(roadmap=roadmap, activity=activity)
        factories.IndicatorTargetFactory(indicator=indicator)
        factories.IndicatorValueFactory(indicator=indicator, organization=school, year=2025)
        ReportRun.objects.create(
            kind="monitoring", format="xlsx", roadmap=roadmap, as_of=datetime.date(2025, 4, 1),
            parameters={"roadmap_ids": [roadmap.pk]}, requested_by=world.staff,
        )  # fmt: skip
    return roadmap


def _queries(client, url: str, *, expect_rows: int | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 1000})
    assert response.status_code == 200, response.content[:300]
    if expect_rows is not None:
        assert len(response.json()["results"]) >= expect_rows
    return len(captured)


@pytest.mark.parametrize("url", list(LISTS))
def test_list_reads_as_many_queries_for_30_rows_as_for_3(world, tmp_path, settings, url):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.staff)
    client.get("/api/v1/roadmaps/")  # the token's first use is written down once; not what is measured
    _rows(world, 3, tmp_path)
    few = _queries(client, url, expect_rows=3)
    _rows(world, 27, tmp_path)
    many = _queries(client, url, expect_rows=30)
    assert (url, few, many) == (url, LISTS[url], LISTS[url])


def test_roadmap_detail_reads_as_many_queries_for_30_activities_as_for_3(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.staff)
    client.get("/api/v1/roadmaps/")
    small, large = _rows(world, 3, tmp_path), _rows(world, 30, tmp_path)
    few = _queries(client, f"/api/v1/roadmaps/{small.pk}/")
    many = _queries(client, f"/api/v1/roadmaps/{large.pk}/")
    assert (few, many) == (ROADMAP_DETAIL, ROADMAP_DETAIL)
    body = client.get(f"/api/v1/roadmaps/{large.pk}/").json()
    assert len(body["activities"]) == 30
    assert sum(len(section["activities"]) for section in body["sections"]) == 30
