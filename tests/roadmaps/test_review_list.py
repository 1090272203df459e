"""«Требует проверки» lists every activity without checkpoints in an approved roadmap, with the reason, and
the roadmap page counts them without another query."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.scope import user_scope
from roadmaps import selectors, services
from roadmaps.models import Roadmap
from tests import factories

TODAY = datetime.date(2025, 6, 1)


def _activity(roadmap: Roadmap, number: str, deadline: str, **fields):
    activity = factories.ActivityFactory(roadmap=roadmap, number=number, deadline_text=deadline, **fields)
    services.activity_sync_checkpoints(activity=activity)
    return activity


@pytest.fixture
def approved(world) -> Roadmap:
    roadmap = factories.RoadmapFactory(owner=world.region_org, title="Утверждённый план")
    _activity(roadmap, "1.", "ежеквартально")
    _activity(roadmap, "2.", "по мере поступления")
    _activity(roadmap, "3.", "весной")  # not understood
    _activity(roadmap, "4.", "в 2031 году")  # after the roadmap's end: no checkpoint
    emptied = _activity(roadmap, "5.", "до 1 марта 2025 г.")
    emptied.checkpoints.all().delete()
    return roadmap


def _reasons(scope, **filters) -> dict[str, list[str]]:
    rows = list(selectors.review_activities(scope=scope, **filters))
    selectors.attach_review_reasons(activities=rows)
    return {row.number: row.reasons for row in rows}


def test_every_activity_without_checkpoints_in_an_approved_roadmap_is_listed_with_why(world, approved):
    reasons = _reasons(user_scope(world.staff), roadmap_id=approved.pk)
    assert sorted(reasons) == ["2.", "3.", "4.", "5."]
    assert "по событию" in reasons["2."][0]
    assert reasons["3."] == ["Не удалось разобрать срок: «весной». Укажите дату вручную."]
    assert any("позже окончания" in r or "вне" in r or "2031" in r for r in reasons["4."])
    assert reasons["5."] == ["контрольных точек нет: срок не дал ни одной даты в периоде дорожной карты"]


def test_a_draft_lists_only_wordings_without_a_date(world):
    _activity(world.draft, "1.", "по мере поступления")
    emptied = _activity(world.draft, "2.", "до 1 марта 2025 г.")
    emptied.checkpoints.all().delete()
    assert sorted(_reasons(user_scope(world.staff), roadmap_id=world.draft.pk)) == ["1."]


def test_hand_set_checkpoints_take_an_event_deadline_off_the_list(world, approved):
    activity = approved.activities.get(number="2.")
    services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=datetime.date(2025, 5, 5))
    assert "2." not in _reasons(user_scope(world.staff), roadmap_id=approved.pk)


def test_the_roadmap_page_counts_them_from_what_it_already_read(world, approved, django_assert_num_queries):
    # sections; activities; responsibilities; checkpoint counts; revisions — as before, nothing added.
    with django_assert_num_queries(5):
        page = selectors.roadmap_get_page(roadmap=approved, today=TODAY)
    assert page.review_count == 4
    assert (
        page.review_count
        == selectors.review_activities(scope=user_scope(world.staff), roadmap_id=approved.pk).count()
    ), "the page's count and the list agree"


def test_the_roadmap_page_shows_the_count_with_a_link_to_the_list(client, world, approved):
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:roadmap-detail", args=[approved.pk])).content.decode()
    link = reverse("roadmaps:review-list") + f"?roadmap={approved.pk}"
    assert f'<b>4</b><span><a href="{link}">требуют проверки</a>' in body
    listed = client.get(link).content.decode()
    assert "по мере поступления" in listed and "ежеквартально" not in listed


def test_a_garbled_roadmap_filter_shows_the_whole_list(client, world, approved):
    client.force_login(world.staff)
    for value in ("abc", "-1", "²", "9" * 40):
        response = client.get(reverse("roadmaps:review-list"), {"roadmap": value})
        assert response.status_code == 200
        assert response.context["activities"].paginator.count >= 4


def test_the_review_list_has_a_fixed_query_count(client, world, approved, django_assert_num_queries):
    client.force_login(world.staff)
    # session; user; memberships; the activities' count; their page with roadmaps; mismatched
    # checkpoints (none, so nothing is prefetched for them).
    with django_assert_num_queries(6):
        client.get(reverse("roadmaps:review-list"))


# --- «Срок не планируется» ---------------------------------------------------------------------------


def test_marking_an_event_deadline_as_not_scheduled_takes_it_off_the_list(world, approved):
    activity = approved.activities.get(number="2.")
    services.activity_mark_unscheduled(actor=world.staff, activity=activity, reason="Запросов не было")
    activity.refresh_from_db()
    assert activity.unscheduled_reason == "Запросов не было" and not activity.needs_review
    assert "2." not in _reasons(user_scope(world.staff), roadmap_id=approved.pk)
    assert selectors.roadmap_get_page(roadmap=approved, today=TODAY).review_count == 3
    change = approved.revisions.get().changes.get()
    assert change.description == "Срок не планируется: Запросов не было"


def test_not_scheduled_needs_a_reason_and_an_activity_without_checkpoints(world, approved):
    with pytest.raises(ValidationError):
        services.activity_mark_unscheduled(
            actor=world.staff, activity=approved.activities.get(number="2."), reason=" "
        )
    with pytest.raises(ValidationError, match="есть контрольные точки"):
        services.activity_mark_unscheduled(
            actor=world.staff, activity=approved.activities.get(number="1."), reason="x"
        )


def test_unmarking_or_setting_a_date_by_hand_schedules_it_again(world, approved):
    activity = approved.activities.get(number="2.")
    services.activity_mark_unscheduled(actor=world.staff, activity=activity, reason="Запросов не было")
    services.activity_unmark_unscheduled(actor=world.staff, activity=activity)
    assert "2." in _reasons(user_scope(world.staff), roadmap_id=approved.pk)
    services.activity_mark_unscheduled(actor=world.staff, activity=activity, reason="Запросов не было")
    services.checkpoint_add_by_hand(actor=world.staff, activity=activity, due=datetime.date(2025, 9, 1))
    activity.refresh_from_db()
    assert activity.unscheduled_reason == "" and activity.schedule_by_hand


def test_staff_mark_and_unmark_on_the_activity_page(client, world, approved):
    activity = approved.activities.get(number="2.")
    client.force_login(world.staff)
    url = reverse("roadmaps:activity-unscheduled", args=[activity.pk])
    page = client.post(url, {"action": "mark", "reason": "Запросов не было"}, follow=True).content.decode()
    assert "Срок не планируется: Запросов не было" in page and "Снова планировать" in page
    client.post(url, {"action": "unmark"})
    activity.refresh_from_db()
    assert activity.unscheduled_reason == ""
