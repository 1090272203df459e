"""Incremental sync (cursor pages, `updated_since`) and optimistic locking over HTTP (ETag, If-Match)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from roadmaps import services
from roadmaps.models import Activity, Roadmap
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def _all_pages(client, url: str, **params) -> list[dict]:
    rows, response = [], client.get(url, {"page_size": 2, **params})
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def test_cursor_pages_walk_every_row_once_and_updated_since_brings_only_changes(world):
    for _ in range(4):
        factories.CheckpointFactory(activity=world.checkpoint.activity)
    client = client_for(world.staff)
    first_sync = _all_pages(client, "/api/v1/checkpoints/")
    assert len(first_sync) == 5
    assert len({row["id"] for row in first_sync}) == 5
    assert {row["roadmap"] for row in first_sync} == {world.roadmap.pk}
    assert [row["updated_at"] for row in first_sync] == sorted(row["updated_at"] for row in first_sync)
    mark = timezone.now()
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 1),
        result="Проведён",
    )
    changed = _all_pages(client, "/api/v1/checkpoints/", updated_since=mark.isoformat())
    assert [(row["id"], row["status"]) for row in changed] == [(world.checkpoint.pk, "reported")]


def test_bulk_acceptance_moves_updated_at_too(world):
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 1),
        result="Проведён",
    )
    mark = timezone.now()
    services.checkpoints_accept(actor=world.staff, checkpoint_ids=[world.checkpoint.pk])
    changed = _all_pages(client_for(world.staff), "/api/v1/checkpoints/", updated_since=mark.isoformat())
    assert [row["status"] for row in changed] == ["done"]


def test_a_bad_updated_since_is_refused_in_the_error_shape(world):
    response = client_for(world.staff).get("/api/v1/roadmaps/", {"updated_since": "вчера"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "updated_since" in response.json()["error"]["fields"]


def test_every_list_takes_updated_since(world):
    client = client_for(world.staff)
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    for name in (
        "organizations",
        "projects",
        "roadmaps",
        "activities",
        "checkpoints",
        "indicators",
        "report-runs",
    ):
        response = client.get(f"/api/v1/{name}/", {"updated_since": future})
        assert response.status_code == 200, name
        assert response.json()["results"] == [], name


@pytest.fixture
def draft_activity(world) -> Activity:
    return factories.ActivityFactory(roadmap=world.draft, number="1.", title="Семинар")


def test_patch_needs_if_match_and_refuses_a_stale_one(world, draft_activity):
    client = client_for(world.staff)
    url = f"/api/v1/activities/{draft_activity.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == f'"{draft_activity.pk}-1"'
    missing = client.patch(url, {"title": "Вебинар"}, format="json")
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["error"]["message"]
    assert client.patch(url, {"title": "Вебинар"}, format="json", HTTP_IF_MATCH='"0-0"').status_code == 412
    saved = client.patch(url, {"title": "Вебинар"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != etag
    assert saved.json()["title"] == "Вебинар"
    stale = client.patch(url, {"title": "Круглый стол"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    draft_activity.refresh_from_db()
    assert draft_activity.title == "Вебинар"
    assert draft_activity.history.first().history_user == world.staff


def test_a_refused_patch_changes_nothing_and_says_why_per_field(world, draft_activity):
    client = client_for(world.staff)
    url = f"/api/v1/activities/{draft_activity.pk}/"
    response = client.patch(url, {"title": ""}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 400
    assert "title" in response.json()["error"]["fields"]
    draft_activity.refresh_from_db()
    assert (draft_activity.title, draft_activity.version) == ("Семинар", 1)


def test_an_approved_roadmap_without_an_edition_refuses_activity_changes(world):
    world.roadmap.revisions.filter(status="draft").delete()
    activity = world.checkpoint.activity
    client = client_for(world.staff)
    url = f"/api/v1/activities/{activity.pk}/"
    response = client.patch(url, {"title": "Иначе"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 403
    assert "утверждена" in response.json()["error"]["message"]
    created = client.post(
        "/api/v1/activities/", {"roadmap": world.roadmap.pk, "number": "9.", "title": "Новое"}
    )
    assert created.status_code == 403
    assert not Activity.objects.filter(number="9.").exists()


def test_an_activity_is_created_in_a_draft_with_its_checkpoints(world):
    client = client_for(world.staff)
    body = {"roadmap": world.draft.pk, "number": "2.", "title": "Конкурс", "deadline_text": "Март 2026 года"}
    response = client.post("/api/v1/activities/", body, format="json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert activity.checkpoints.count() == 1
    assert activity.history.first().history_user == world.staff
    assert Roadmap.objects.get(pk=world.draft.pk).status == "draft"
