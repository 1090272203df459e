"""A deadline tied to an event has no date to plan: staff find it on the review list («Требует проверки»)."""

from django.urls import reverse

from organizations.scope import user_scope
from roadmaps import selectors, services
from roadmaps.deadlines import KIND_BY_EVENT
from tests import factories


def test_an_event_deadline_gets_no_checkpoints_and_needs_review(world):
    activity = factories.ActivityFactory(
        roadmap=world.roadmap, number="7.", deadline_text="по мере поступления"
    )

    services.activity_sync_checkpoints(activity=activity)

    activity.refresh_from_db()
    assert (activity.schedule_kind, activity.schedule_problems) == (KIND_BY_EVENT, [])
    assert activity.schedule_kind_label == "по событию"
    assert activity.needs_review
    assert not activity.checkpoints.exists()


def test_the_review_list_asks_staff_to_set_a_date_for_an_event_deadline(client, world):
    activity = factories.ActivityFactory(
        roadmap=world.roadmap, number="7.", deadline_text="По запросу Минпросвещения России"
    )
    services.activity_sync_checkpoints(activity=activity)
    client.force_login(world.staff)

    body = client.get(reverse("roadmaps:review-list")).content.decode()

    assert activity in selectors.review_activities(scope=user_scope(world.staff))
    assert "По запросу Минпросвещения России" in body
    assert "по событию: назначьте дату вручную или отметьте, что срок не планируется" in body
