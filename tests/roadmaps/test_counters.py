"""The counters in the header and on «Мои мероприятия» come apart from the page and after each action."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from organizations.models import Membership
from roadmaps import services
from tests import factories

pytestmark = pytest.mark.django_db


def _counters(client, **query) -> str:
    return client.get(reverse("roadmaps:nav-counters"), query).content.decode()


def test_a_coordinator_sees_their_overdue_and_each_groups_size(client, world):
    client.force_login(world.coordinator)  # the world's checkpoint was due on 31.03.2025: overdue today
    page = _counters(client, groups="all")  # asked so by «Мои мероприятия», the page that shows the groups
    assert '<span id="count-overdue" hx-swap-oob="innerHTML"><span class="badge overdue"' in page
    assert 'title="Просрочено">1</span>' in page
    assert '<span id="group-count-overdue" hx-swap-oob="innerHTML">1</span>' in page
    assert '<span id="group-count-done" hx-swap-oob="innerHTML">0</span>' in page
    assert "count-waiting" not in page


def test_other_pages_get_no_group_counters_they_have_no_place_for(client, world):
    # htmx logs an error to the console for each out-of-band fragment without its target on the page.
    client.force_login(world.coordinator)
    page = _counters(client)
    assert 'id="count-overdue"' in page and "group-count" not in page
    one_group = _counters(client, groups="overdue")  # «Показать все» of one group
    assert 'id="group-count-overdue"' in one_group and "group-count-done" not in one_group


def test_staff_see_how_many_reports_wait_and_the_number_follows_the_reports(client, world):
    client.force_login(world.staff)
    assert '<span id="count-waiting" hx-swap-oob="innerHTML"></span>' in _counters(client)
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Да",
    )
    assert 'title="Ждут проверки">1</span>' in _counters(client)


def test_an_in_place_report_and_decision_ask_the_page_for_fresh_counters(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]),
        {"actual_date": "20.03.2025", "result": "Проведено"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "counts-changed"
    client.force_login(world.staff)
    response = client.post(
        reverse("roadmaps:checkpoint-accept", args=[world.checkpoint.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "counts-changed"


@pytest.mark.parametrize("extra", [0, 25])
def test_the_counters_cost_the_same_queries_however_many_checkpoints(
    client, world, django_assert_num_queries, extra
):
    for n in range(extra):
        factories.CheckpointFactory(
            activity=world.checkpoint.activity, sequence=n + 1, planned_due=datetime.date(2025, 4, 1)
        )
    world_person = factories.UserFactory()
    Membership.objects.create(user=world_person, organization=world.school, role=Membership.Role.COORDINATOR)
    Membership.objects.create(user=world_person, organization=world.region_org, role=Membership.Role.STAFF)
    client.force_login(world_person)
    _counters(client)
    with django_assert_num_queries(5):  # session, user, scope; the group counts; the waiting reports
        _counters(client)
