"""Staff verify reported checkpoints: queue, accept, return with a reason; history keeps every step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Checkpoint

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reported(world) -> Checkpoint:
    return services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Проведён",
    )


def test_queue_lists_reported_checkpoints_in_scope(client, world, reported):
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:verification-queue")).content.decode()
    assert "Проведён" in body
    assert f'id="verify-{reported.pk}"' in body
    client.force_login(world.outsider)
    assert "Проведён" not in client.get(reverse("roadmaps:verification-queue")).content.decode()


def test_staff_accept_a_report_in_place(client, world, reported):
    client.force_login(world.staff)
    response = client.post(reverse("roadmaps:checkpoint-accept", args=[reported.pk]), **HTMX)
    assert "Принято" in response.content.decode()
    reported.refresh_from_db()
    assert (reported.status, reported.verified_by) == ("done", world.staff)


def test_staff_return_a_report_with_a_reason_the_coordinator_sees(client, world, reported):
    client.force_login(world.staff)
    url = reverse("roadmaps:checkpoint-return", args=[reported.pk])
    refused = client.post(url, {"reason": ""}, **HTMX)
    assert "Обязательное поле" in refused.content.decode()
    client.post(url, {"reason": "Нет протокола"}, **HTMX)
    reported.refresh_from_db()
    assert reported.status == "returned"
    client.force_login(world.coordinator)
    assert "Нет протокола" in client.get(reverse("roadmaps:my-checkpoints")).content.decode()


def test_every_transition_is_in_the_activity_history(client, world, reported):
    services.checkpoint_return(actor=world.staff, checkpoint=reported, reason="Нет протокола")
    client.force_login(world.analyst)
    body = client.get(reverse("roadmaps:activity-detail", args=[reported.activity_id])).content.decode()
    assert "на проверке" in body
    assert "возвращено на доработку — Нет протокола" in body


def test_accepting_twice_explains_instead_of_failing(client, world, reported):
    services.checkpoint_accept(actor=world.staff, checkpoint=reported)
    client.force_login(world.staff)
    response = client.post(reverse("roadmaps:checkpoint-accept", args=[reported.pk]), **HTMX)
    assert "Нельзя принять отчёт" in response.content.decode()
