"""A new deadline shows what it does to the checkpoints before anything is saved, and needs a second POST."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Activity, Checkpoint
from roadmaps.services.schedules import ScheduleChangeUnconfirmed
from tests import factories

D = datetime.date


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def _activity(world, deadline: str) -> Activity:
    return services.activity_create(
        actor=world.staff, roadmap=world.draft, number="3.1.", title="Отчёт", deadline_text=deadline
    )


def _opened(client, activity: Activity) -> dict[str, str]:
    form = client.get(reverse("roadmaps:activity-update", args=[activity.pk])).context["form"]
    return {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}


def _fingerprint(body: str) -> str:
    return re.search(r'name="confirm_schedule" value="([^"]+)"', body).group(1)


def _dues(activity: Activity) -> list[datetime.date]:
    return list(activity.checkpoints.order_by("sequence").values_list("planned_due", flat=True))


# --- The plan --------------------------------------------------------------------------------------


def test_a_date_moved_within_its_period_is_a_move_not_a_removal(world):
    activity = _activity(world, "до 1 марта 2025 г.")
    change = services.schedule_change_preview(activity=activity, deadline_text="до 15 марта 2025 г.")
    assert [(c.planned_due, o.due) for c, o in change.moved] == [(D(2025, 3, 1), D(2025, 3, 15))]
    assert not change.added and not change.removed and not change.mismatched
    assert _dues(activity) == [D(2025, 3, 1)], "a preview writes nothing"


def test_a_coarser_schedule_removes_and_adds_planned_checkpoints(world):
    activity = _activity(world, "ежеквартально")
    change = services.schedule_change_preview(activity=activity, deadline_text="ежегодно в ноябре")
    assert (len(change.removed), len(change.added), len(change.moved)) == (12, 3, 0)
    assert activity.checkpoints.count() == 12


def test_a_reported_checkpoint_whose_period_goes_is_listed_as_mismatched(world):
    activity = _activity(world, "ежеквартально")
    reported = activity.checkpoints.order_by("sequence").first()
    Checkpoint.objects.filter(pk=reported.pk).update(status=Checkpoint.Status.REPORTED)
    change = services.schedule_change_preview(activity=activity, deadline_text="ежегодно в ноябре")
    assert [c.pk for c in change.mismatched] == [reported.pk]
    assert reported.pk not in [c.pk for c in change.removed]


def test_the_applied_change_is_the_previewed_one(world):
    activity = _activity(world, "до 1 марта 2025 г.")
    checkpoint = activity.checkpoints.get()
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version,
        deadline_text="до 15 марта 2025 г.",
    )  # fmt: skip
    checkpoint.refresh_from_db()  # the same row, moved: its history goes on
    assert (checkpoint.planned_due, checkpoint.period_label) == (D(2025, 3, 15), "до 15.03.2025")
    assert checkpoint.history.first().history_user == world.staff


def test_the_service_refuses_an_unconfirmed_deadline_change_and_writes_nothing(world):
    activity = _activity(world, "ежеквартально")
    with pytest.raises(ScheduleChangeUnconfirmed) as refused:
        services.activity_update(
            actor=world.staff, activity=activity, expected_version=activity.version,
            schedule_confirmation="", deadline_text="ежегодно в ноябре",
        )  # fmt: skip
    fresh = Activity.objects.get(pk=activity.pk)
    assert (fresh.deadline_text, fresh.version, fresh.checkpoints.count()) == ("ежеквартально", 1, 12)
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version,
        schedule_confirmation=refused.value.change.fingerprint, deadline_text="ежегодно в ноябре",
    )  # fmt: skip
    assert Activity.objects.get(pk=activity.pk).checkpoints.count() == 3


# --- The edit form ---------------------------------------------------------------------------------


def test_a_new_deadline_is_shown_before_saving_and_nothing_is_deleted_without_confirmation(
    staff_client, world
):
    activity = _activity(world, "ежеквартально")
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "ежегодно в ноябре", "title": "Новое имя"}

    response = staff_client.post(url, typed)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-change="removed"') == 12 and body.count('data-change="added"') == 3
    assert "Подтвердить и сохранить" in body
    assert "Новое имя" in body and "ежегодно в ноябре" in body, "the form keeps what was typed"
    activity.refresh_from_db()
    assert (activity.deadline_text, activity.title, activity.checkpoints.count()) == (
        "ежеквартально",
        "Отчёт",
        12,
    )

    confirmed = staff_client.post(url, {**typed, "confirm_schedule": _fingerprint(body)})

    assert confirmed.status_code == 302
    activity.refresh_from_db()
    assert (activity.deadline_text, activity.checkpoints.count()) == ("ежегодно в ноябре", 3)


def test_a_confirmation_for_another_plan_asks_again(staff_client, world):
    activity = _activity(world, "ежеквартально")
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "ежегодно в ноябре"}
    fingerprint = _fingerprint(staff_client.post(url, typed).content.decode())
    # Meanwhile a coordinator reports the first quarter: it would now be kept with a mismatch.
    Checkpoint.objects.filter(pk=activity.checkpoints.order_by("sequence").first().pk).update(
        status="reported"
    )

    again = staff_client.post(url, {**typed, "confirm_schedule": fingerprint})

    assert again.status_code == 200
    assert 'data-change="mismatched"' in again.content.decode()
    assert Activity.objects.get(pk=activity.pk).deadline_text == "ежеквартально"


def test_a_deadline_that_changes_no_checkpoint_saves_at_once(staff_client, world):
    activity = _activity(world, "до 1 марта 2025 г.")
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    response = staff_client.post(url, {**_opened(staff_client, activity), "deadline_text": "до 01.03.2025"})
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).deadline_text == "до 01.03.2025"


def test_an_edit_overtaken_while_confirming_is_answered_409_with_what_was_typed(staff_client, world):
    activity = _activity(world, "ежеквартально")
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "ежегодно в ноябре"}
    fingerprint = _fingerprint(staff_client.post(url, typed).content.decode())
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version, title="Чужое"
    )

    response = staff_client.post(url, {**typed, "confirm_schedule": fingerprint})

    assert response.status_code == 409
    assert response.context["form"]["deadline_text"].value() == "ежегодно в ноябре"
    assert Activity.objects.get(pk=activity.pk).checkpoints.count() == 12


def test_a_hand_set_schedule_asks_whether_to_regenerate(staff_client, world):
    activity = _activity(world, "по мере поступления")
    services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=D(2025, 5, 5))
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "до 1 марта 2025 г."}

    asked = staff_client.post(url, typed).content.decode()

    assert "заданы вручную" in asked and 'name="regenerate_schedule"' in asked
    kept = staff_client.post(url, {**typed, "confirm_schedule": _fingerprint(asked)})
    assert kept.status_code == 302
    assert _dues(activity) == [D(2025, 5, 5)]


def test_a_hand_set_schedule_is_regenerated_when_asked(staff_client, world):
    activity = _activity(world, "по мере поступления")
    services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=D(2025, 5, 5))
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "до 1 марта 2025 г."}
    fingerprint = _fingerprint(staff_client.post(url, typed).content.decode())

    staff_client.post(url, {**typed, "confirm_schedule": fingerprint, "regenerate_schedule": "1"})

    assert _dues(activity) == [D(2025, 3, 1)]


def test_the_question_page_has_a_fixed_query_count(staff_client, world, django_assert_num_queries):
    activity = _activity(world, "ежеквартально")
    factories.ResponsibilityFactory(activity=activity, organization=world.school)
    url = reverse("roadmaps:activity-update", args=[activity.pk])
    typed = {**_opened(staff_client, activity), "deadline_text": "ежегодно в ноябре"}
    # session; user; memberships; activity (access, a draft: no edition to ask for); the service's savepoint;
    # the activity under its lock with roadmap and owner; checkpoints of the plan; closed periods (none, so
    # no reopened checkpoints); rollback to and release of the savepoint (nothing is written); sections for
    # the form's choices — whatever the number of checkpoints.
    with django_assert_num_queries(11):
        response = staff_client.post(url, typed)
    assert response.status_code == 200
