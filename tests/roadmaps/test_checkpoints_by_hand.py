"""Checkpoints staff set by hand: added, moved and removed on the activity page, kept across wording edits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Checkpoint
from tests import factories

D = datetime.date


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def by_event(world):
    return services.activity_create(
        actor=world.staff, roadmap=world.draft, number="2.1.", title="Отчёт по запросу",
        deadline_text="по запросу Минпросвещения России",
    )  # fmt: skip


def test_staff_add_a_checkpoint_to_an_activity_due_by_event(world, by_event):
    assert not by_event.checkpoints.exists()
    checkpoint = services.checkpoint_add_by_hand(
        actor=world.staff, activity=by_event, due=D(2025, 4, 10), label="Запрос апреля"
    )
    by_event.refresh_from_db()
    assert (checkpoint.planned_due, checkpoint.period_label, checkpoint.status) == (
        D(2025, 4, 10), "Запрос апреля", Checkpoint.Status.PLANNED,
    )  # fmt: skip
    assert by_event.schedule_by_hand
    assert checkpoint.history.first().history_user == world.staff


def test_a_checkpoint_without_a_label_is_labelled_with_its_date(world, by_event):
    checkpoint = services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 4, 10))
    assert checkpoint.period_label == "10.04.2025"


def test_a_date_outside_the_roadmaps_years_is_refused_with_the_period(world, by_event):
    with pytest.raises(ValidationError) as refused:
        services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2031, 1, 10))
    assert "вне периода дорожной карты (2024–2026)" in str(refused.value)


def test_the_same_checkpoint_twice_is_refused(world, by_event):
    services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 4, 10))
    with pytest.raises(ValidationError, match="уже есть"):
        services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 4, 10))


def test_adding_in_an_approved_roadmap_is_listed_on_its_edition(world):
    activity = world.checkpoint.activity
    services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=D(2025, 5, 20), label="Май")
    change = world.roadmap.revisions.get().changes.get()
    assert "добавлена вручную: «Май», срок 20.05.2025" in change.description


def test_an_approved_roadmap_without_an_open_edition_refuses_hand_set_dates(world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    activity = factories.ActivityFactory(roadmap=roadmap)
    with pytest.raises(PermissionDenied):
        services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=D(2025, 5, 20))


def test_a_planned_checkpoint_moves_and_the_checkpoints_are_renumbered(world, by_event):
    early = services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 2, 1))
    late = services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 6, 1))
    services.checkpoint_move_by_hand(actor=world.staff, checkpoint=early, due=D(2025, 9, 1), label="Сентябрь")
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.planned_due, early.period_label, early.sequence) == (D(2025, 9, 1), "Сентябрь", 2)
    assert late.sequence == 1


def test_moving_before_the_planned_start_drops_the_start(world):
    checkpoint = world.checkpoint  # I кв. 2025: 01.01.2025–31.03.2025
    services.checkpoint_move_by_hand(actor=world.staff, checkpoint=checkpoint, due=D(2024, 12, 20))
    checkpoint.refresh_from_db()
    assert (checkpoint.planned_start, checkpoint.planned_due) == (None, D(2024, 12, 20))


@pytest.mark.parametrize("status", [Checkpoint.Status.REPORTED, Checkpoint.Status.DONE])
def test_reported_work_is_never_moved_or_removed_by_hand(world, status):
    checkpoint = factories.CheckpointFactory(
        activity=world.checkpoint.activity, status=status, actual_date=D(2025, 3, 20)
    )
    with pytest.raises(ValidationError):
        services.checkpoint_move_by_hand(actor=world.staff, checkpoint=checkpoint, due=D(2025, 9, 1))
    with pytest.raises(ValidationError):
        services.checkpoint_remove_by_hand(actor=world.staff, checkpoint=checkpoint)
    assert Checkpoint.objects.filter(pk=checkpoint.pk, planned_due=checkpoint.planned_due).exists()


def test_a_returned_then_replanned_checkpoint_with_a_report_is_not_removed(world):
    checkpoint = world.checkpoint
    reported_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(reported_at=reported_at)
    with pytest.raises(ValidationError, match="уже отчитывались"):
        services.checkpoint_remove_by_hand(actor=world.staff, checkpoint=checkpoint)


def test_a_planned_checkpoint_is_removed_with_history(world, by_event):
    checkpoint = services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 2, 1))
    services.checkpoint_remove_by_hand(actor=world.staff, checkpoint=checkpoint)
    assert not by_event.checkpoints.exists()
    assert Checkpoint.history.filter(id=checkpoint.pk, history_type="-").get().history_user == world.staff


def test_a_checkpoint_in_a_closed_period_is_not_moved(world):
    services.period_close(
        actor=world.staff, roadmap=world.roadmap, first_day=D(2025, 1, 1), last_day=D(2025, 3, 31),
        label="I квартал 2025",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="закрыт"):
        services.checkpoint_move_by_hand(actor=world.staff, checkpoint=world.checkpoint, due=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="закрыт"):
        services.checkpoint_add_by_hand(
            actor=world.staff, activity=world.checkpoint.activity, due=D(2025, 2, 1)
        )


def test_a_hand_set_schedule_is_kept_when_the_wording_changes(world, by_event):
    services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 4, 10))
    by_event.refresh_from_db()
    updated = services.activity_update(
        actor=world.staff, activity=by_event, expected_version=by_event.version, deadline_text="ежеквартально"
    )
    assert list(updated.checkpoints.values_list("planned_due", flat=True)) == [D(2025, 4, 10)]
    assert updated.schedule_kind == "recurring" and updated.schedule_by_hand


def test_regenerating_a_hand_set_schedule_follows_the_wording_again(world, by_event):
    services.checkpoint_add_by_hand(actor=world.staff, activity=by_event, due=D(2025, 4, 10))
    by_event.refresh_from_db()
    updated = services.activity_update(
        actor=world.staff, activity=by_event, expected_version=by_event.version,
        deadline_text="до 1 марта 2025 г.", regenerate_schedule=True,
    )  # fmt: skip
    updated.refresh_from_db()
    assert list(updated.checkpoints.values_list("planned_due", flat=True)) == [D(2025, 3, 1)]
    assert not updated.schedule_by_hand


# --- The activity page ------------------------------------------------------------------------------


def test_staff_add_a_checkpoint_on_the_activity_page(staff_client, world, by_event):
    url = reverse("roadmaps:checkpoint-add", args=[by_event.pk])
    response = staff_client.post(url, {"due": "10.04.2025", "label": "Апрель"})
    assert response.status_code == 302
    assert response.url.endswith("#checkpoints")
    page = staff_client.get(reverse("roadmaps:activity-detail", args=[by_event.pk])).content.decode()
    assert "Апрель" in page and "10.04.2025" in page
    assert "заданы вручную" in page


def test_a_refused_checkpoint_comes_back_with_what_was_typed_and_why(staff_client, world, by_event):
    url = reverse("roadmaps:checkpoint-add", args=[by_event.pk])
    response = staff_client.post(url, {"due": "31.11.2025", "label": "Ноябрь"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Ноябрь"' in body and "31.11.2025: в ноябре 30 дней." in body


def test_staff_move_and_remove_a_checkpoint_on_the_activity_page(staff_client, world):
    checkpoint = world.checkpoint
    move = reverse("roadmaps:checkpoint-move", args=[checkpoint.pk])
    assert staff_client.post(move, {f"move-{checkpoint.pk}-due": "15.04.2025"}).status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.planned_due == D(2025, 4, 15)
    assert staff_client.post(reverse("roadmaps:checkpoint-remove", args=[checkpoint.pk])).status_code == 302
    assert not Checkpoint.objects.filter(pk=checkpoint.pk).exists()


def test_the_page_offers_moving_only_planned_checkpoints_and_only_to_whoever_may_edit(client, world):
    reported = factories.CheckpointFactory(
        activity=world.checkpoint.activity, status=Checkpoint.Status.REPORTED, planned_due=D(2025, 6, 30)
    )
    url = reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id])
    client.force_login(world.staff)
    body = client.get(url).content.decode()
    assert reverse("roadmaps:checkpoint-move", args=[world.checkpoint.pk]) in body
    assert reverse("roadmaps:checkpoint-move", args=[reported.pk]) not in body
    client.force_login(world.analyst)
    body = client.get(url).content.decode()
    assert reverse("roadmaps:checkpoint-add", args=[world.checkpoint.activity_id]) not in body
    assert reverse("roadmaps:checkpoint-move", args=[world.checkpoint.pk]) not in body
