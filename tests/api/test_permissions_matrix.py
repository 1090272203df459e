"""Every API endpoint × every persona × own and foreign organisation answers the expected status, and no
list shows a row of the other region (0 leaks).

Codes as in tests/permissions.py, with the API's own: 401 for a request without a token (never the login
page's redirect), 400 a body refused by the service or its form, 428 a change without If-Match.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from api.services import api_token_create
from organizations.models import Organization
from reports.models import ReportRun
from roadmaps.models import Evidence, Roadmap
from tests import factories
from tests.api.conftest import PERSONAS, client_for
from tests.permissions import ROLES, matrix_cases, status_as

READ = ("200 200 200 200 404 404 401", "404 404 404 404 200 200 401")
LIST = ("200 200 200 200 200 200 401",) * 2
# An authority is outside a school coordinator's subtree.
AUTHORITY_READ = ("200 404 200 200 404 404 401", "404 404 404 404 200 200 401")
# Reports are for staff, analysts and observers; a run is seen by whoever sees every roadmap it covers.
REPORT_READ = ("200 404 200 200 404 404 401", "404 404 404 404 200 404 401")
# Staff decide on reports: a planned checkpoint cannot be accepted or returned yet (400 with the reason).
VERIFY = ("400 403 403 403 404 404 401", "404 404 404 404 400 403 401")
# Coordinators of the responsible school report; an empty report is refused (400).
REPORT = ("403 400 403 403 404 404 401", "404 404 404 404 403 400 401")
# A draft is its owner's: a school's coordinator does not see it; staff must send If-Match (428).
DRAFT_PATCH = ("428 404 403 403 404 404 401", "404 404 404 404 428 403 401")
# Creating in a draft: staff reach the form's own refusal of an empty activity (400).
DRAFT_CREATE = ("400 404 403 403 404 404 401", "404 404 404 404 400 403 401")

MATRIX = [
    ("get", "/api/v1/organizations/", None, LIST),
    ("get", "/api/v1/organizations/{}/", "school", READ),
    ("get", "/api/v1/organizations/{}/", "authority", AUTHORITY_READ),
    ("get", "/api/v1/projects/", None, LIST),
    ("get", "/api/v1/projects/{}/", "project", READ),
    ("get", "/api/v1/roadmaps/", None, LIST),
    ("get", "/api/v1/roadmaps/{}/", "roadmap", READ),
    ("get", "/api/v1/activities/", None, LIST),
    ("get", "/api/v1/activities/{}/", "activity", READ),
    ("patch", "/api/v1/activities/{}/", "draft_activity", DRAFT_PATCH),
    ("post", "/api/v1/activities/", "draft_roadmap_body", DRAFT_CREATE),
    ("get", "/api/v1/checkpoints/", None, LIST),
    ("get", "/api/v1/checkpoints/{}/", "checkpoint", READ),
    ("post", "/api/v1/checkpoints/{}/report/", "checkpoint", REPORT),
    ("post", "/api/v1/checkpoints/{}/accept/", "checkpoint", VERIFY),
    ("post", "/api/v1/checkpoints/{}/return/", "checkpoint", VERIFY),
    ("get", "/api/v1/evidence/{}/file/", "evidence", READ),
    ("get", "/api/v1/indicators/", None, LIST),
    ("get", "/api/v1/indicators/{}/", "indicator", READ),
    ("post", "/api/v1/indicators/{}/values/", "indicator", REPORT),
    ("get", "/api/v1/report-runs/", None, LIST),
    ("get", "/api/v1/report-runs/{}/", "report_run", REPORT_READ),
    ("get", "/api/v1/report-runs/{}/file/", "report_run", REPORT_READ),
]

LISTS = {
    "/api/v1/organizations/": ("school", "authority"),
    "/api/v1/projects/": ("project",),
    "/api/v1/roadmaps/": ("roadmap", "draft"),
    "/api/v1/activities/": ("activity", "draft_activity"),
    "/api/v1/checkpoints/": ("checkpoint",),
    "/api/v1/indicators/": ("indicator",),
    "/api/v1/report-runs/": ("report_run",),
}


def _side(*, roadmap: Roadmap, authority: Organization, school: Organization, staff) -> dict:
    activity = roadmap.activities.order_by("pk").first() or factories.ActivityFactory(roadmap=roadmap)
    if not activity.responsibilities.filter(organization=school).exists():
        factories.ResponsibilityFactory(activity=activity, organization=school)
    checkpoint = activity.checkpoints.first() or factories.CheckpointFactory(
        activity=activity, planned_due=datetime.date(2025, 3, 31)
    )
    evidence = Evidence(checkpoint=checkpoint, original_name="протокол.pdf", content_type="application/pdf")
    evidence.file.save("protocol.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    draft = factories.RoadmapFactory(owner=authority, status=Roadmap.Status.DRAFT)
    run = ReportRun(
        kind="monitoring", format="xlsx", roadmap=roadmap, as_of=datetime.date(2025, 4, 1),
        parameters={"roadmap_ids": [roadmap.pk]}, status=ReportRun.Status.DONE, requested_by=staff,
    )  # fmt: skip
    run.file.save("report.xlsx", ContentFile(b"PK test"), save=True)
    return {
        "school": school,
        "authority": authority,
        "project": factories.ProjectFactory(region=authority.region, level="regional"),
        "roadmap": roadmap,
        "draft": draft,
        "activity": activity,
        "draft_activity": factories.ActivityFactory(roadmap=draft),
        "draft_roadmap_body": draft,
        "checkpoint": checkpoint,
        "evidence": evidence,
        "indicator": factories.IndicatorFactory(roadmap=roadmap, activity=activity),
        "report_run": run,
    }


@pytest.fixture
def objects(world, settings, tmp_path) -> dict[str, dict]:
    settings.MEDIA_ROOT = tmp_path
    foreign_school = factories.OrganizationFactory(parent=world.foreign_org, region=world.foreign_org.region)
    return {
        "own": _side(
            roadmap=world.roadmap, authority=world.region_org, school=world.school, staff=world.staff
        ),
        "foreign": _side(
            roadmap=world.foreign_roadmap,
            authority=world.foreign_org,
            school=foreign_school,
            staff=world.outsider,
        ),
    }


def _request(client, method: str, url: str, body: dict | None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, format="json")


@pytest.mark.parametrize(("method", "url", "key", "side", "role", "expected"), matrix_cases(MATRIX))
def test_status_by_role_and_organisation(world, objects, method, url, key, side, role, expected):
    target = objects[side][key] if key else None
    body = {"roadmap": target.pk} if key == "draft_roadmap_body" else None
    address = url if key == "draft_roadmap_body" or not key else url.format(target.pk)
    client = client_for(None if role == "anonymous" else getattr(world, role))
    response = _request(client, method, address, body)
    assert response.status_code == expected, f"{method.upper()} {address} as {role}: {response.content[:300]}"
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("url", list(LISTS))
def test_lists_show_nothing_of_the_other_region(world, objects, role, url):
    home = "foreign" if role.startswith("outsider") else "own"
    away = "own" if home == "foreign" else "foreign"
    client = client_for(getattr(world, role))
    ids = [row["id"] for row in client.get(url, {"page_size": 1000}).json()["results"]]
    leaked = [key for key in LISTS[url] if objects[away][key].pk in ids]
    assert leaked == [], f"{url} as {role} shows the other region's {leaked}"


def test_roles_cover_every_persona():
    assert ROLES[:-1] == PERSONAS


# The portal's page of one's own tokens (session, not token): anybody signed in; an empty form is refused
# and shown again (400); a token is revoked by its owner only (here: the staff member's on each side).
PAGE_MATRIX = [
    ("get", "api_tokens:token-list", None, ("200 200 200 200 200 200 302",) * 2),
    ("post", "api_tokens:token-list", None, ("400 400 400 400 400 400 302",) * 2),
    (
        "post",
        "api_tokens:token-revoke",
        "api_token",
        ("302 404 404 404 404 404 302", "404 404 404 404 302 404 302"),
    ),
    # The schema and its Swagger UI describe no data: public, like the login page.
    ("get", "api:schema", None, ("200 200 200 200 200 200 200",) * 2),
    ("get", "api:docs", None, ("200 200 200 200 200 200 200",) * 2),
]


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), matrix_cases(PAGE_MATRIX))
def test_portal_pages_by_role(client, world, method, name, key, side, role, expected):
    owner = world.staff if side == "own" else world.outsider
    args = [api_token_create(actor=owner, name="Интеграция").token.pk] if key else []
    assert status_as(client, world, role, method, reverse(name, args=args)) == expected
