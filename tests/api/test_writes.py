"""Writes through the API go through the portal's services: history, notifications and locks included."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import Organization
from roadmaps.models import Checkpoint, IndicatorValue
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db
VALID_INN = "7017012342"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "акт.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )


def test_coordinator_reports_with_a_file_and_staff_accept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/checkpoints/{world.checkpoint.pk}"
    reported = client_for(world.coordinator).post(
        f"{url}/report/",
        {"actual_date": "2025-03-20", "result": "Семинар проведён", "file": _pdf()},
        format="multipart",
    )
    assert reported.status_code == 200, reported.content
    assert reported.json()["status"] == "reported"
    (evidence,) = reported.json()["evidence"]
    assert evidence["original_name"] == "акт.pdf"
    download = client_for(world.analyst).get(evidence["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    accepted = client_for(world.staff).post(f"{url}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "done"
    checkpoint = Checkpoint.objects.get(pk=world.checkpoint.pk)
    assert [h.history_user for h in checkpoint.history.order_by("history_date")][-2:] == [
        world.coordinator,
        world.staff,
    ]
    assert list(checkpoint.transitions.values_list("status", flat=True)) == ["reported", "done"]


def test_staff_return_a_report_with_a_reason(world):
    url = f"/api/v1/checkpoints/{world.checkpoint.pk}"
    client_for(world.coordinator).post(
        f"{url}/report/", {"actual_date": "2025-03-20", "result": "Сделано"}, format="json"
    )
    staff = client_for(world.staff)
    empty = staff.post(f"{url}/return/", {"reason": ""}, format="json")
    assert empty.status_code == 400
    returned = staff.post(f"{url}/return/", {"reason": "Нет протокола"}, format="json")
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", "Нет протокола")
    again = staff.post(f"{url}/accept/")
    assert again.status_code == 400
    assert "уже в статусе" in again.json()["error"]["message"]


def test_a_report_in_the_future_is_refused_with_the_field(world):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client_for(world.coordinator).post(
        f"/api/v1/checkpoints/{world.checkpoint.pk}/report/",
        {"actual_date": tomorrow.isoformat(), "result": "Да"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["actual_date"] == ["Фактическая дата не может быть в будущем."]
    assert Checkpoint.objects.get(pk=world.checkpoint.pk).status == "planned"


def test_an_archived_roadmap_refuses_reports(world):
    world.roadmap.status = "archived"
    world.roadmap.save()
    response = client_for(world.coordinator).post(
        f"/api/v1/checkpoints/{world.checkpoint.pk}/report/", {"actual_date": "2025-03-20", "result": "Да"}
    )
    assert response.status_code == 403
    assert "архиве" in response.json()["error"]["message"]


def test_coordinator_sets_an_indicator_value_for_their_school_only(world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    client = client_for(world.coordinator)
    url = f"/api/v1/indicators/{indicator.pk}/values/"
    saved = client.post(url, {"year": 2025, "organization": world.school.pk, "value": "75.5"}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["values"] == [
        {"year": 2025, "organization": world.school.pk, "value": "75.50", "weight": None,
         "reported_at": saved.json()["values"][0]["reported_at"]}
    ]  # fmt: skip
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.history.first().history_user == world.coordinator
    other = client.post(
        url, {"year": 2025, "organization": world.other_school.pk, "value": "1"}, format="json"
    )
    assert other.status_code == 404
    assert IndicatorValue.objects.count() == 1


def test_organisations_are_upserted_by_inn(world):
    client = client_for(world.staff)
    body = {
        "inn": VALID_INN,
        "full_name": "Средняя школа № 3",
        "short_name": "СОШ № 3",
        "parent": world.region_org.pk,
    }
    created = client.post("/api/v1/organizations/upsert/", body, format="json")
    assert created.status_code == 201, created.content
    organization = Organization.objects.get(inn=VALID_INN)
    assert organization.parent == world.region_org
    updated = client.post("/api/v1/organizations/upsert/", {**body, "short_name": "Школа № 3"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["id"] == organization.pk
    organization.refresh_from_db()
    assert organization.short_name == "Школа № 3"
    assert organization.history.count() == 2
    assert Organization.objects.filter(inn=VALID_INN).count() == 1


def test_upsert_refuses_a_bad_inn_and_a_coordinator(world):
    body = {"inn": "7017012343", "full_name": "Школа", "short_name": "Школа", "parent": world.region_org.pk}
    bad = client_for(world.staff).post("/api/v1/organizations/upsert/", body, format="json")
    assert bad.status_code == 400
    assert "контрольное число" in bad.json()["error"]["fields"]["inn"][0]
    refused = client_for(world.coordinator).post(
        "/api/v1/organizations/upsert/", {**body, "inn": VALID_INN, "parent": world.school.pk}, format="json"
    )
    assert refused.status_code == 403
    assert not Organization.objects.filter(inn=VALID_INN).exists()


def test_swagger_ui_and_schema_are_served_from_local_files(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "bearerAuth" in schema.json()["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "cdn" not in page.lower()
    assert "<style" not in page
    assert "<script>" not in page  # the init script is a file too (SpectacularSwaggerSplitView)
    assert "/static/drf_spectacular_sidecar/" in page
    assert "script-src 'self'" in docs["Content-Security-Policy"]
