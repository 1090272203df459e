"""Numbers for new sections and activities, and «Перенумеровать» after moves: a preview, then one
confirmed, edition-aware change with history."""

from __future__ import annotations

import functools

import pytest
from django.urls import reverse
from lxml import html

from roadmaps import numbering, services
from roadmaps.models import Activity, RevisionChange, Section
from roadmaps.numbering import Numbered
from tests import factories

pytestmark = pytest.mark.django_db


# --- The pure rules ---------------------------------------------------------------------------------------


def test_next_number_follows_the_highest_sibling_under_the_prefix():
    assert numbering.next_number(["1.", "2.", "IV"], prefix=[], dot=True) == "3."
    assert numbering.next_number(["2.1.", "2.2.", "3.1."], prefix=[2], dot=True) == "2.3."
    assert numbering.next_number([], prefix=[2], dot=False) == "2.1"


def test_the_roadmaps_style_decides_the_trailing_dot_and_the_hierarchy():
    assert numbering.writes_trailing_dot(["1.1", "1.2", "2."]) is False
    assert numbering.writes_trailing_dot([]) is True
    assert numbering.is_hierarchical(["1.", "2.3."]) and not numbering.is_hierarchical(["1.", "17.", "3а"])


def test_renumbered_follows_the_order_shown():
    sections = [Numbered(20, None, "2."), Numbered(21, 20, "2.1."), Numbered(10, None, "1.")]
    activities = [
        Numbered(1, None, "5."),
        Numbered(2, 20, "2.1."),
        Numbered(3, 10, "1.1."),
        Numbered(4, 10, "1.2."),
    ]
    new_sections, within = numbering.renumbered(sections, activities, dot=True, hierarchical=True)
    assert new_sections == {20: "1.", 21: "1.1.", 10: "2."}
    assert within == {1: "1.", 2: "1.1.", 3: "2.1.", 4: "2.2."}
    _sections, through = numbering.renumbered(sections, activities, dot=False, hierarchical=False)
    assert through == {1: "1", 2: "2", 3: "3", 4: "4"}


# --- New sections and activities -------------------------------------------------------------------------


def test_a_section_without_a_number_gets_the_next_one_and_a_subsection_its_parents(world):
    roadmap = world.draft
    made = functools.partial(
        services.section_create, actor=world.staff, roadmap=roadmap, number_if_blank=True
    )
    first = made(title="Кадры")
    second = made(title="Среда")
    sub = made(title="Оснащение", parent=second)
    typed = made(title="Свой номер", number="IV")
    assert [first.number, second.number, sub.number, typed.number] == ["1.", "2.", "2.1.", "IV"]
    # An importer keeps a heading without a number as the document has it.
    assert services.section_create(actor=world.staff, roadmap=roadmap, title="Подпрограмма 1").number == ""


def test_the_new_section_form_numbers_a_blank_one(client, world):
    client.force_login(world.staff)
    url = reverse("roadmaps:section-create", args=[world.draft.pk])
    assert client.post(url, {"number": "", "title": "Кадры"}).status_code == 302
    assert world.draft.sections.get().number == "1."


def test_an_activity_without_a_number_gets_the_next_in_its_section_or_through_the_roadmap(world):
    roadmap = world.draft
    section = services.section_create(actor=world.staff, roadmap=roadmap, title="Кадры", number="2.")
    factories.ActivityFactory(roadmap=roadmap, section=section, number="2.1.")
    made = services.activity_create(
        actor=world.staff, roadmap=roadmap, number="", title="Курсы", section=section, deadline_text="2025"
    )
    assert made.number == "2.2."
    flat = factories.RoadmapFactory(owner=world.region_org, status="draft")
    factories.ActivityFactory(roadmap=flat, number="16.")
    factories.ActivityFactory(roadmap=flat, number="17.")
    made = services.activity_create(actor=world.staff, roadmap=flat, number="", title="Ещё", deadline_text="")
    assert made.number == "18."


def test_the_new_activity_form_suggests_the_number_and_saves_a_blank_one(client, world):
    roadmap = world.draft
    section = services.section_create(actor=world.staff, roadmap=roadmap, title="Кадры", number="3.")
    client.force_login(world.staff)
    url = reverse("roadmaps:activity-create", args=[roadmap.pk])
    page = html.fromstring(client.get(url, {"section": section.pk}).content.decode())
    assert page.get_element_by_id("id_number").get("value") == "3.1."
    assert page.get_element_by_id("id_number_helptext") is not None
    response = client.post(
        url, {"section": section.pk, "number": "", "title": "Курсы", "deadline_text": "2025"}
    )
    assert response.status_code == 302
    assert Activity.objects.get(roadmap=roadmap, title="Курсы").number == "3.1."


# --- Renumbering ------------------------------------------------------------------------------------------


@pytest.fixture
def moved(world):
    """A draft whose second section was moved up: «2.» now shows above «1.»."""
    roadmap = world.draft
    first = services.section_create(actor=world.staff, roadmap=roadmap, title="Кадры", number="1.")
    second = services.section_create(actor=world.staff, roadmap=roadmap, title="Среда", number="2.")
    for section, number in [(first, "1.1."), (first, "1.2."), (second, "2.1.")]:
        factories.ActivityFactory(roadmap=roadmap, section=section, number=number)
    services.sections_reorder(actor=world.staff, roadmap=roadmap, section_ids=[second.pk, first.pk])
    return roadmap


def _numbers(roadmap) -> tuple[list[str], list[str]]:
    sections = list(roadmap.sections.order_by("position").values_list("number", flat=True))
    return sections, list(roadmap.activities.in_roadmap_order().values_list("number", flat=True))


def test_renumber_preview_lists_old_and_new_numbers_and_changes_nothing(
    client, world, moved, django_assert_num_queries
):
    with django_assert_num_queries(2):  # sections; activities
        plan = services.roadmap_renumbering(roadmap=moved)
    assert [(old, new) for _s, old, new in plan.sections] == [("2.", "1."), ("1.", "2.")]
    assert [(old, new) for _a, old, new in plan.activities] == [
        ("2.1.", "1.1."),
        ("1.1.", "2.1."),
        ("1.2.", "2.2."),
    ]
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:roadmap-renumber", args=[moved.pk])).content.decode()
    assert "Перенумеровать" in body and plan.fingerprint in body
    page = html.fromstring(body)
    assert [r.text_content() for r in page.xpath("//table[1]//tbody/tr/td[position()<3]")][:2] == ["2.", "1."]
    assert _numbers(moved) == (["2.", "1."], ["1.1.", "1.2.", "2.1."])


def test_confirmed_renumbering_applies_the_preview_with_history(client, world, moved):
    plan = services.roadmap_renumbering(roadmap=moved)
    client.force_login(world.staff)
    response = client.post(
        reverse("roadmaps:roadmap-renumber", args=[moved.pk]), {"fingerprint": plan.fingerprint}
    )
    assert response.status_code == 302
    assert "Изменено 5 номеров." in client.get(response["Location"]).content.decode()
    assert _numbers(moved) == (["1.", "2."], ["1.1.", "2.1.", "2.2."])
    environment = Section.objects.get(roadmap=moved, title="Среда")
    last = environment.history.first()
    assert (last.number, last.history_user, last.history_change_reason) == (
        "1.",
        world.staff,
        "Перенумерация",
    )
    assert Activity.history.filter(roadmap_id=moved.pk, history_change_reason="Перенумерация").count() == 3
    assert environment.version == 2  # an editor opened before the renumbering gets the conflict screen
    assert not services.roadmap_renumbering(roadmap=moved)


def test_a_stale_preview_is_refused_and_changes_nothing(client, world, moved):
    stale = services.roadmap_renumbering(roadmap=moved).fingerprint
    factories.ActivityFactory(roadmap=moved, section=moved.sections.get(title="Среда"), number="2.2.")
    client.force_login(world.staff)
    response = client.post(
        reverse("roadmaps:roadmap-renumber", args=[moved.pk]), {"fingerprint": stale}, follow=True
    )
    assert "Нумерация изменилась" in response.content.decode()
    assert _numbers(moved)[0] == ["2.", "1."]


def test_an_approved_roadmap_renumbers_only_within_its_edition(client, world):
    roadmap = world.roadmap  # approved, with a draft edition
    services.section_create(actor=world.staff, roadmap=roadmap, title="Раздел", number="5.")
    plan = services.roadmap_renumbering(roadmap=roadmap)
    services.roadmap_renumber(actor=world.staff, roadmap=roadmap, fingerprint=plan.fingerprint)
    change = RevisionChange.objects.filter(subject="Нумерация").get()
    assert "разделы 5. → 1." in change.description and "мероприятия 1.1. → 1.1." not in change.description
    locked = factories.RoadmapFactory(owner=world.region_org, edition=False)
    client.force_login(world.staff)
    assert client.get(reverse("roadmaps:roadmap-renumber", args=[locked.pk])).status_code == 403
    assert (
        client.post(reverse("roadmaps:roadmap-renumber", args=[locked.pk]), {"fingerprint": "x"}).status_code
        == 403
    )
