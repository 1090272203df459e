"""«Исправить срок» on «Требует проверки» opens the activity form on the problem: its text above the
deadline field, read with it and focused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

from roadmaps import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unclear(world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, title="Утверждённый план")
    activity = factories.ActivityFactory(roadmap=roadmap, number="3.", deadline_text="весной")
    services.activity_sync_checkpoints(activity=activity)
    return activity


def test_the_review_list_links_to_the_form_on_the_deadline(client, world, unclear):
    client.force_login(world.staff)
    page = html.fromstring(client.get(reverse("roadmaps:review-list")).content.decode())
    (link,) = page.xpath("//a[normalize-space()='Исправить срок']")
    assert link.get("href") == reverse("roadmaps:activity-update", args=[unclear.pk]) + "?fix=deadline_text"


def test_the_fix_form_shows_the_problem_above_the_field_and_focuses_it(client, world, unclear):
    client.force_login(world.staff)
    url = reverse("roadmaps:activity-update", args=[unclear.pk]) + "?fix=deadline_text"
    page = html.fromstring(client.get(url).content.decode())
    field = page.get_element_by_id("id_deadline_text")
    assert field.get("autofocus") is not None
    assert field.get("aria-describedby") == "id_deadline_text_problem id_deadline_text_helptext"
    problem = page.get_element_by_id("id_deadline_text_problem")
    assert "Не удалось разобрать срок: «весной»" in problem.text_content()
    assert problem.getnext() is field  # shown right above the field it is about
    assert len(page.xpath("//*[@autofocus]")) == 1


def test_an_unknown_fix_or_an_activity_without_problems_opens_the_plain_form(client, world, unclear):
    client.force_login(world.staff)
    url = reverse("roadmaps:activity-update", args=[unclear.pk])
    for query in ("?fix=title", "?fix=<script>"):
        page = html.fromstring(client.get(url + query).content.decode())
        assert not page.xpath("//*[@autofocus]") and not page.xpath("//*[contains(@class, 'problem-text')]")
    fine = world.checkpoint.activity  # has its checkpoint
    response = client.get(reverse("roadmaps:activity-update", args=[fine.pk]) + "?fix=deadline_text")
    page = html.fromstring(response.content.decode())
    assert not page.xpath("//*[contains(@class, 'problem-text')]")
