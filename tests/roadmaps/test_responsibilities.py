"""Responsible organisations are assigned, changed and taken off, one at a time and in bulk; every change
names its actor in the history, is listed on the open edition and shows on the activity page."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmaps import selectors, services
from roadmaps.models import Responsibility, Revision, RevisionChange, Roadmap
from roadmaps.services import ConcurrentEditError
from roadmaps.services.lifecycle import RoadmapLocked
from tests import factories

pytestmark = pytest.mark.django_db


def _version(responsibility) -> int:
    return type(responsibility).objects.get(pk=responsibility.pk).version


@pytest.fixture
def activity(world):
    """Activity 1.1. of the approved roadmap (its draft edition open), the school its lead executor."""
    return world.checkpoint.activity


@pytest.fixture
def school_duty(activity, world) -> Responsibility:
    return activity.responsibilities.get(organization=world.school)


@pytest.fixture
def three(world) -> list:
    """Three more activities, the second school responsible for the first two, the first school for all."""
    activities = [factories.ActivityFactory(roadmap=world.roadmap, number=f"2.{n}.") for n in (1, 2, 3)]
    for item in activities[:2]:
        factories.ResponsibilityFactory(activity=item, organization=world.other_school)
    for item in activities:
        factories.ResponsibilityFactory(activity=item, organization=world.school, position=1)
    return activities


def _edition(roadmap: Roadmap) -> Revision:
    return roadmap.revisions.get(status=Revision.Status.DRAFT)


def _listed(roadmap: Roadmap) -> list[str]:
    return [f"{c.subject}: {c.description}" for c in _edition(roadmap).changes.order_by("pk")]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Services ---------------------------------------------------------------------------------------


def test_changing_one_responsibility_names_the_actor_and_is_listed_on_the_edition(world, school_duty):
    services.responsibility_update(
        actor=world.staff,
        responsibility=school_duty,
        role="co",
        by_agreement=True,
        person="Петров П. П.",
        expected_version=_version(school_duty),
    )

    school_duty.refresh_from_db()
    assert (school_duty.role, school_duty.by_agreement, school_duty.person) == ("co", True, "Петров П. П.")
    assert school_duty.version == 2
    assert school_duty.history.latest("history_date").history_user == world.staff
    (listed,) = _listed(world.roadmap)
    assert listed.startswith("Ответственный: СОШ № 1: Мероприятие 1.1.: роль изменена на «соисполнитель»")
    assert "отмечено «по согласованию»" in listed and "Петров П. П." in listed


def test_saving_a_responsibility_unchanged_writes_no_history_and_lists_nothing(world, school_duty):
    before = school_duty.history.count()

    services.responsibility_update(
        actor=world.staff,
        responsibility=school_duty,
        role="lead",
        by_agreement=False,
        person="",
        expected_version=_version(school_duty),
    )

    assert school_duty.history.count() == before
    assert _listed(world.roadmap) == []


def test_an_edit_made_on_top_of_a_version_saved_in_between_is_refused(world, school_duty):
    services.responsibility_update(
        actor=world.staff,
        responsibility=school_duty,
        role="co",
        by_agreement=False,
        person="",
        expected_version=_version(school_duty),
    )

    with pytest.raises(ConcurrentEditError):
        services.responsibility_update(
            actor=world.staff,
            responsibility=school_duty,
            role="lead",
            by_agreement=True,
            person="",
            expected_version=1,
        )
    school_duty.refresh_from_db()
    assert (school_duty.role, school_duty.by_agreement) == ("co", False)


def test_removing_the_last_responsible_organisation_is_allowed_and_the_edition_says_so(
    world, activity, school_duty
):
    pk = school_duty.pk
    services.responsibility_remove(actor=world.staff, responsibility=school_duty)

    assert not activity.responsibilities.exists()
    removed = Responsibility.history.get(id=pk, history_type="-")
    assert removed.history_user == world.staff
    (listed,) = _listed(world.roadmap)
    assert "Снят с мероприятия 1.1." in listed
    assert "Других ответственных организаций у мероприятия нет" in listed


def test_removing_one_of_two_responsible_organisations_says_nothing_about_none_left(world, three):
    duty = three[0].responsibilities.get(organization=world.other_school)

    services.responsibility_remove(actor=world.staff, responsibility=duty)

    assert list(three[0].responsibilities.values_list("organization", flat=True)) == [world.school.pk]
    assert _listed(world.roadmap) == ["Ответственный: СОШ № 2: Снят с мероприятия 2.1."]


def test_taking_one_organisation_off_many_activities_at_once(world, three):
    count = services.responsibilities_remove(
        actor=world.staff, activities=three[1:], organization=world.school
    )

    assert count == 2
    assert not Responsibility.objects.filter(activity__in=three[1:], organization=world.school).exists()
    assert three[0].responsibilities.filter(organization=world.school).exists()
    removed = Responsibility.history.filter(history_type="-", organization=world.school)
    assert removed.count() == 2 and {r.history_user for r in removed} == {world.staff}
    (listed,) = _listed(world.roadmap)
    # 2.2. still has the second school; 2.3. is left with only the text of the document.
    assert listed == (
        "Ответственный: СОШ № 1: Снят с мероприятий 2.2., 2.3. "
        "Без ответственных организаций остались мероприятия 2.3.: у них показывается текст из документа."
    )


def test_taking_off_an_organisation_not_responsible_there_changes_nothing(world, three):
    count = services.responsibilities_remove(
        actor=world.staff, activities=[three[2]], organization=world.other_school
    )

    assert count == 0
    assert _listed(world.roadmap) == []


def test_changing_the_role_across_many_activities_leaves_agreement_as_it_was(world, three):
    Responsibility.objects.filter(activity=three[0], organization=world.school).update(by_agreement=True)

    count = services.responsibilities_update(
        actor=world.staff, activities=three, organization=world.school, role="co"
    )

    assert count == 3
    duties = Responsibility.objects.filter(activity__in=three, organization=world.school).order_by("activity")
    assert [(d.role, d.by_agreement) for d in duties] == [("co", True), ("co", False), ("co", False)]
    assert {d.history.latest("history_date").history_user for d in duties} == {world.staff}
    assert _listed(world.roadmap) == [
        "Ответственный: СОШ № 1: Мероприятия 2.1., 2.2., 2.3.: роль — «соисполнитель»."
    ]


def test_marking_by_agreement_in_bulk_counts_only_the_rows_that_change(world, three):
    Responsibility.objects.filter(activity=three[0], organization=world.other_school).update(
        by_agreement=True
    )

    count = services.responsibilities_update(
        actor=world.staff, activities=three, organization=world.other_school, by_agreement=True
    )

    assert count == 1  # 2.1. was marked already; 2.3. has no second school
    assert _listed(world.roadmap) == ["Ответственный: СОШ № 2: Мероприятия 2.2.: «по согласованию»."]


def test_a_bulk_change_with_nothing_to_change_is_refused(world, three):
    with pytest.raises(ValidationError, match="Выберите, что изменить"):
        services.responsibilities_update(actor=world.staff, activities=three, organization=world.school)


def test_assigning_names_the_actor_and_lists_the_new_one_after_those_already_responsible(world, three):
    count = services.responsibility_assign(
        actor=world.staff, activities=three[:1], organization=world.region_org, role="co", by_agreement=True
    )

    assert count == 1
    added = three[0].responsibilities.get(organization=world.region_org)
    assert added.position == 2
    assert added.history.get().history_user == world.staff
    assert _listed(world.roadmap) == [
        "Ответственный: ДО: Назначен (соисполнитель, по согласованию) для мероприятий 2.1."
    ]


def test_assigning_again_on_the_same_terms_saves_nothing(world, three):
    count = services.responsibility_assign(actor=world.staff, activities=three, organization=world.school)

    assert count == 0
    assert _listed(world.roadmap) == []


def _locked(world, kind: str) -> Roadmap:
    if kind == "archived":
        roadmap = factories.RoadmapFactory(owner=world.region_org)
        Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.ARCHIVED)
        roadmap.refresh_from_db()
        return roadmap
    return factories.RoadmapFactory(owner=world.region_org, edition=False)


WRITES = {
    "update": lambda w, a, d: services.responsibility_update(
        actor=w.staff, responsibility=d, role="co", by_agreement=True, person="", expected_version=_version(d)
    ),
    "remove": lambda w, a, d: services.responsibility_remove(actor=w.staff, responsibility=d),
    "bulk_remove": lambda w, a, d: services.responsibilities_remove(
        actor=w.staff, activities=[a], organization=w.school
    ),
    "bulk_update": lambda w, a, d: services.responsibilities_update(
        actor=w.staff, activities=[a], organization=w.school, role="co"
    ),
    "assign": lambda w, a, d: services.responsibility_assign(
        actor=w.staff, activities=[a], organization=w.other_school
    ),
}


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("kind", ["archived", "approved_without_edition"])
def test_responsibilities_of_an_archived_or_locked_roadmap_do_not_change(world, kind, write):
    roadmap = _locked(world, kind)
    activity = factories.ActivityFactory(roadmap=roadmap, number="1.")
    duty = factories.ResponsibilityFactory(activity=activity, organization=world.school)

    with pytest.raises(RoadmapLocked):
        WRITES[write](world, activity, duty)

    assert list(activity.responsibilities.values_list("organization", "role")) == [(world.school.pk, "lead")]


def test_changes_to_a_draft_roadmap_need_no_edition(world):
    activity = factories.ActivityFactory(roadmap=world.draft, number="1.")
    duty = factories.ResponsibilityFactory(activity=activity, organization=world.school)

    services.responsibility_update(
        actor=world.staff,
        responsibility=duty,
        role="co",
        by_agreement=False,
        person="",
        expected_version=_version(duty),
    )
    services.responsibility_remove(actor=world.staff, responsibility=duty)

    assert not activity.responsibilities.exists()
    assert not RevisionChange.objects.exists()


# --- History on the activity page ---------------------------------------------------------------------


def test_activity_history_tells_assigned_changed_and_removed(world, three):
    activity = three[0]
    services.responsibility_assign(
        actor=world.staff, activities=[activity], organization=world.region_org, role="co", by_agreement=True
    )
    duty = activity.responsibilities.get(organization=world.region_org)
    services.responsibility_update(
        actor=world.staff,
        responsibility=duty,
        role="lead",
        by_agreement=True,
        person="",
        expected_version=_version(duty),
    )
    services.responsibility_remove(actor=world.staff, responsibility=duty)

    lines = [(entry.what, entry.who) for entry in selectors.activity_get_page(activity=activity)["history"]]

    assert ("Ответственный «ДО» назначен (соисполнитель, по согласованию)", world.staff) in lines
    assert ("Ответственный «ДО»: роль изменена на «ответственный исполнитель»", world.staff) in lines
    assert ("Ответственный «ДО» снят", world.staff) in lines


def test_activity_page_reads_its_responsibility_history_in_one_query(
    world, activity, school_duty, django_assert_num_queries
):
    for n in range(5):
        duty = factories.ResponsibilityFactory(activity=activity, position=n + 1)
        services.responsibility_update(
            actor=world.staff,
            responsibility=duty,
            role="co",
            by_agreement=True,
            person="",
            expected_version=_version(duty),
        )
        services.responsibility_remove(actor=world.staff, responsibility=duty)
    # 1 responsibilities; 2 checkpoints; 3 evidence; 4 activity history; 5 checkpoint history;
    # 6 responsibility history with organisations and users.
    with django_assert_num_queries(6):
        page = selectors.activity_get_page(activity=activity)
    assert sum(entry.what.endswith("снят") for entry in page["history"]) == 5


def test_activity_page_shows_the_responsibility_history_and_the_controls_to_staff(client, world, activity):
    services.responsibilities_update(
        actor=world.staff, activities=[activity], organization=world.school, by_agreement=True
    )
    client.force_login(world.staff)

    body = client.get(reverse("roadmaps:activity-detail", args=[activity.pk])).content.decode()

    assert "Ответственный «СОШ № 1»: отмечено «по согласованию»" in body
    assert reverse("roadmaps:responsibility-remove", args=[activity.responsibilities.get().pk]) in body
    assert "изменить роль" in body


def test_coordinator_sees_the_responsible_organisations_without_controls(client, world, activity):
    client.force_login(world.coordinator)

    body = client.get(reverse("roadmaps:activity-detail", args=[activity.pk])).content.decode()

    assert "СОШ № 1" in body
    assert "изменить роль" not in body


# --- Views on the activity page -----------------------------------------------------------------------


def test_staff_change_a_responsibility_and_return_to_the_activity(client, world, activity, school_duty):
    client.force_login(world.staff)

    response = client.post(
        reverse("roadmaps:responsibility-update", args=[school_duty.pk]),
        {"role": "co", "by_agreement": "on", "person": "Иванова А. А.", "version": "1"},
    )

    assert response.status_code == 302
    assert response.url == reverse("roadmaps:activity-detail", args=[activity.pk]) + "#responsible"
    school_duty.refresh_from_db()
    assert (school_duty.role, school_duty.by_agreement, school_duty.person) == ("co", True, "Иванова А. А.")
    assert _messages(response) == ["СОШ № 1: сохранено."]


def test_a_stale_edit_comes_back_409_beside_the_saved_terms(client, world, school_duty):
    services.responsibility_update(
        actor=world.staff,
        responsibility=school_duty,
        role="co",
        by_agreement=False,
        person="",
        expected_version=_version(school_duty),
    )
    client.force_login(world.staff)

    response = client.post(
        reverse("roadmaps:responsibility-update", args=[school_duty.pk]),
        {"role": "lead", "version": "1", "person": "Иванова И. И."},
    )

    # The activity page with the form open: what was saved beside what was typed, typed values kept.
    assert response.status_code == 409
    body = response.content.decode()
    assert "изменил другой пользователь" in body and 'value="Иванова И. И."' in body
    assert f'name="version" value="{school_duty.version + 1}"' in body
    school_duty.refresh_from_db()
    assert school_duty.role == "co"


def test_the_edit_link_opens_the_activity_page_with_that_form_open(client, world, activity, school_duty):
    client.force_login(world.staff)

    response = client.get(reverse("roadmaps:responsibility-update", args=[school_duty.pk]))

    assert response.status_code == 200
    assert response.context["editing"] == school_duty.pk
    assert "<details open>" in response.content.decode()


def test_staff_take_a_responsible_organisation_off_an_activity(client, world, activity, school_duty):
    client.force_login(world.staff)

    response = client.post(reverse("roadmaps:responsibility-remove", args=[school_duty.pk]))

    assert response.status_code == 302
    assert not activity.responsibilities.exists()
    assert _messages(response) == ["«СОШ № 1» снята с мероприятия."]


@pytest.mark.parametrize("name", ["roadmaps:responsibility-update", "roadmaps:responsibility-remove"])
def test_coordinator_cannot_change_or_remove_a_responsibility(client, world, school_duty, name):
    client.force_login(world.coordinator)

    response = client.post(reverse(name, args=[school_duty.pk]), {"role": "co"})

    assert response.status_code == 403
    school_duty.refresh_from_db()
    assert school_duty.role == "lead"


@pytest.mark.parametrize("name", ["roadmaps:responsibility-update", "roadmaps:responsibility-remove"])
def test_outsider_does_not_find_a_responsibility(client, world, school_duty, name):
    client.force_login(world.outsider)

    assert client.post(reverse(name, args=[school_duty.pk]), {"role": "co"}).status_code == 404
    assert Responsibility.objects.filter(pk=school_duty.pk, role="lead").exists()


def test_staff_cannot_change_a_responsibility_of_an_approved_roadmap_without_an_edition(client, world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    duty = factories.ResponsibilityFactory(activity=factories.ActivityFactory(roadmap=roadmap))
    client.force_login(world.staff)

    response = client.post(reverse("roadmaps:responsibility-remove", args=[duty.pk]))

    assert response.status_code == 403
    assert Responsibility.objects.filter(pk=duty.pk).exists()


# --- The bulk bar on the roadmap page -----------------------------------------------------------------


def _bulk(client, world, **data):
    return client.post(reverse("roadmaps:responsibilities-change", args=[world.roadmap.pk]), data)


def test_staff_take_an_organisation_off_the_ticked_activities(client, world, three):
    client.force_login(world.staff)

    response = _bulk(
        client, world, action="remove", organization=world.school.pk, activities=[a.pk for a in three]
    )

    assert response.status_code == 302
    assert response.url == reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])
    assert not Responsibility.objects.filter(activity__in=three, organization=world.school).exists()
    assert _messages(response) == ["Снято с 3 мероприятий: СОШ № 1."]


def test_staff_change_role_and_agreement_on_the_ticked_activities(client, world, three):
    client.force_login(world.staff)

    response = _bulk(
        client,
        world,
        action="update",
        organization=world.other_school.pk,
        activities=[a.pk for a in three],
        set_role="co",
        set_by_agreement="yes",
    )

    assert response.status_code == 302
    duties = Responsibility.objects.filter(organization=world.other_school)
    assert {(d.role, d.by_agreement) for d in duties} == {("co", True)}
    assert _messages(response) == ["Изменено у 2 мероприятий: СОШ № 2."]


def test_a_bulk_change_with_nothing_chosen_comes_back_as_a_message(client, world, three):
    client.force_login(world.staff)

    response = _bulk(
        client, world, action="update", organization=world.school.pk, activities=[a.pk for a in three]
    )

    assert _messages(response) == ["Выберите, что изменить: роль или «по согласованию»."]
    assert not Responsibility.objects.filter(organization=world.school, role="co").exists()


def test_a_bulk_change_without_ticked_activities_comes_back_as_a_message(client, world, three):
    client.force_login(world.staff)

    response = _bulk(client, world, action="remove", organization=world.school.pk)

    assert _messages(response) == ["Отметьте мероприятия."]
    assert Responsibility.objects.filter(organization=world.school).count() == 4


def test_coordinator_cannot_use_the_bulk_bar(client, world, three):
    client.force_login(world.coordinator)

    response = _bulk(client, world, action="remove", organization=world.school.pk, activities=[three[0].pk])

    assert response.status_code == 403
    assert Responsibility.objects.filter(organization=world.school).count() == 4


def test_outsider_does_not_find_the_bulk_bar_of_a_foreign_roadmap(client, world, three):
    client.force_login(world.outsider)

    response = _bulk(client, world, action="remove", organization=world.school.pk, activities=[three[0].pk])

    assert response.status_code == 404
    assert Responsibility.objects.filter(organization=world.school).count() == 4


def test_roadmap_page_offers_the_bulk_change_and_removal(client, world, three):
    client.force_login(world.staff)

    body = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()

    assert reverse("roadmaps:responsibilities-change", args=[world.roadmap.pk]) in body
    assert 'name="set_role"' in body and 'value="remove"' in body
