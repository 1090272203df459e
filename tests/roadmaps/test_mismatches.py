"""«Расхождения»: a checkpoint someone reported on whose period a changed deadline dropped is kept as it is,
moved to the new date, or cancelled with a reason — by staff of the owner only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Checkpoint
from tests import factories

D = datetime.date


@pytest.fixture
def mismatched(world) -> Checkpoint:
    """«до 1 марта 2025 г.» reported on, then the deadline changed to «до 15 апреля 2025 г.»."""
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.draft,
        number="4.1.",
        title="Отчёт",
        deadline_text="до 1 марта 2025 г.",
    )
    checkpoint = activity.checkpoints.get()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(
        status=Checkpoint.Status.REPORTED, actual_date=D(2025, 2, 20), result="Сделано"
    )
    activity.refresh_from_db()
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version,
        deadline_text="до 15 апреля 2025 г.",
    )  # fmt: skip
    checkpoint.refresh_from_db()
    assert checkpoint.schedule_mismatch
    return checkpoint


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def test_keeping_a_mismatched_checkpoint_clears_the_flag_and_changes_nothing_else(world, mismatched):
    services.checkpoint_mismatch_keep(actor=world.staff, checkpoint=mismatched)
    kept = Checkpoint.objects.get(pk=mismatched.pk)
    assert (kept.schedule_mismatch, kept.planned_due, kept.status) == ("", D(2025, 3, 1), "reported")
    assert kept.history.first().history_user == world.staff
    assert mismatched.activity.checkpoints.count() == 2


def test_moving_takes_the_new_dates_and_the_duplicate_planned_checkpoint_goes(world, mismatched):
    services.checkpoint_mismatch_move(actor=world.staff, checkpoint=mismatched)
    activity = mismatched.activity
    (moved,) = activity.checkpoints.all()
    assert (moved.pk, moved.planned_due, moved.period_label) == (
        mismatched.pk,
        D(2025, 4, 15),
        "до 15.04.2025",
    )
    assert (moved.status, moved.result, moved.schedule_mismatch) == ("reported", "Сделано", "")


def test_moving_is_refused_when_the_new_deadline_left_no_free_period(world, mismatched):
    free = mismatched.activity.checkpoints.exclude(pk=mismatched.pk).get()
    services.checkpoint_remove_by_hand(actor=world.staff, checkpoint=free)
    with pytest.raises(ValidationError, match="нет свободного периода"):
        services.checkpoint_mismatch_move(actor=world.staff, checkpoint=mismatched)


def test_cancelling_needs_a_reason_and_records_it(world, mismatched):
    with pytest.raises(ValidationError):
        services.checkpoint_mismatch_cancel(actor=world.staff, checkpoint=mismatched, reason="  ")
    services.checkpoint_mismatch_cancel(
        actor=world.staff, checkpoint=mismatched, reason="Срок перенесён приказом"
    )
    cancelled = Checkpoint.objects.get(pk=mismatched.pk)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.schedule_mismatch) == (
        "cancelled", "Срок перенесён приказом", "",
    )  # fmt: skip
    assert cancelled.transitions.last().note == "Срок перенесён приказом"


def test_an_accepted_checkpoint_is_not_cancelled_from_the_mismatch_list(world, mismatched):
    Checkpoint.objects.filter(pk=mismatched.pk).update(status=Checkpoint.Status.DONE)
    with pytest.raises(ValidationError):
        services.checkpoint_mismatch_cancel(actor=world.staff, checkpoint=mismatched, reason="Не нужна")


def test_a_resolved_mismatch_is_not_resolved_twice(world, mismatched):
    services.checkpoint_mismatch_keep(actor=world.staff, checkpoint=mismatched)
    with pytest.raises(ValidationError, match="уже нет"):
        services.checkpoint_mismatch_move(actor=world.staff, checkpoint=mismatched)


def test_the_review_list_offers_the_new_date_and_resolving_returns_to_it(staff_client, world, mismatched):
    body = staff_client.get(reverse("roadmaps:review-list")).content.decode()
    assert "Перенести на «до 15.04.2025» (15.04.2025)" in body
    response = staff_client.post(
        reverse("roadmaps:checkpoint-mismatch", args=[mismatched.pk]), {"action": "move"}
    )
    assert response.url == reverse("roadmaps:review-list") + "#mismatches"
    assert Checkpoint.objects.get(pk=mismatched.pk).planned_due == D(2025, 4, 15)
    assert "Расхождений нет." in staff_client.get(reverse("roadmaps:review-list")).content.decode()


def test_cancelling_without_a_reason_on_the_list_is_refused_with_a_message(staff_client, world, mismatched):
    url = reverse("roadmaps:checkpoint-mismatch", args=[mismatched.pk])
    response = staff_client.post(url, {"action": "cancel", "reason": ""}, follow=True)
    assert "Укажите причину отмены." in response.content.decode()
    assert Checkpoint.objects.get(pk=mismatched.pk).status == "reported"


def test_a_coordinator_cannot_resolve_a_mismatch(client, world, mismatched):
    factories.ResponsibilityFactory(activity=mismatched.activity, organization=world.school)
    client.force_login(world.coordinator)
    response = client.post(reverse("roadmaps:checkpoint-mismatch", args=[mismatched.pk]), {"action": "keep"})
    assert response.status_code == 404  # the draft is not theirs to see
    assert Checkpoint.objects.get(pk=mismatched.pk).schedule_mismatch


def test_the_mismatch_list_has_a_fixed_query_count(
    staff_client, world, mismatched, django_assert_num_queries
):
    second = factories.ActivityFactory(roadmap=world.draft, deadline_text="ежеквартально")
    factories.CheckpointFactory(activity=second, status="reported", schedule_mismatch="Срок изменён")
    # session; user; memberships; activities needing review (a count, none to show); mismatched checkpoints
    # with activities and roadmaps; the free planned checkpoints of their activities — for any number of rows.
    with django_assert_num_queries(6):
        staff_client.get(reverse("roadmaps:review-list"))


def test_the_activity_page_offers_the_same_actions_and_returns_to_itself(staff_client, world, mismatched):
    page = reverse("roadmaps:activity-detail", args=[mismatched.activity_id])
    body = staff_client.get(page).content.decode()
    assert "Перенести на «до 15.04.2025» (15.04.2025)" in body
    url = reverse("roadmaps:checkpoint-mismatch", args=[mismatched.pk])
    response = staff_client.post(url, {"action": "keep", "back": "activity"})
    assert response.url == page + "#checkpoints"
    assert not Checkpoint.objects.get(pk=mismatched.pk).schedule_mismatch
