"""Visibility as data: roadmap participants follow every way a responsibility is written or removed."""

from __future__ import annotations

import pytest

from organizations.models import Membership
from organizations.scope import user_scope
from roadmaps import services
from roadmaps.importing import parse_file
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Responsibility, Roadmap, RoadmapParticipant
from roadmaps.participation import participants_rebuild
from tests import factories


def _visible_to(user) -> set[int]:
    return set(Roadmap.objects.visible_in(user_scope(user)).values_list("pk", flat=True))


@pytest.fixture
def third_school(world):
    school = factories.OrganizationFactory(
        full_name="Средняя школа № 3",
        short_name="СОШ № 3",
        parent=world.region_org,
        region=world.region_org.region,
    )
    user = factories.UserFactory(username="third")
    Membership.objects.create(user=user, organization=school, role=Membership.Role.COORDINATOR)
    return school, user


def test_assigning_and_removing_a_school_shows_and_hides_the_roadmap_to_its_coordinator(world, third_school):
    school, user = third_school
    activity = world.checkpoint.activity
    assert world.roadmap.pk not in _visible_to(user)
    services.responsibility_assign(actor=world.staff, activities=[activity], organization=school)
    assert world.roadmap.pk in _visible_to(user)
    (duty,) = Responsibility.objects.filter(organization=school)
    services.responsibility_remove(actor=world.staff, responsibility=duty)
    assert world.roadmap.pk not in _visible_to(user)
    assert not RoadmapParticipant.objects.filter(organization=school).exists()


def test_a_school_stays_a_participant_while_any_of_its_activities_remains(world, third_school):
    school, _user = third_school
    first = world.checkpoint.activity
    second = factories.ActivityFactory(roadmap=world.roadmap, number="2.")
    services.responsibility_assign(actor=world.staff, activities=[first, second], organization=school)
    Responsibility.objects.get(organization=school, activity=first).delete()
    assert RoadmapParticipant.objects.filter(organization=school, roadmap=world.roadmap).exists()
    second.delete()  # the cascade takes the last responsibility with it
    assert not RoadmapParticipant.objects.filter(organization=school, roadmap=world.roadmap).exists()


def test_drafts_stay_hidden_from_participants_and_owners_see_them(world, third_school):
    school, user = third_school
    activity = factories.ActivityFactory(roadmap=world.draft, number="1.")
    factories.ResponsibilityFactory(activity=activity, organization=school)
    assert world.draft.pk not in _visible_to(user)
    assert world.draft.pk in _visible_to(world.staff)


def test_an_import_brings_its_participants(world):
    document = "№\tМероприятие\tСроки\tОтветственный\n1\tСовещание\t01.02.2024\tСОШ № 2\n"
    roadmap = roadmap_import(
        actor=world.staff, parsed=parse_file(document.encode(), "план.tsv"), owner=world.region_org
    )
    assert set(roadmap.participants.values_list("organization_id", flat=True)) == {world.other_school.pk}


def test_rebuilding_restores_what_bulk_writes_left_out(world, third_school):
    school, user = third_school
    Responsibility.objects.bulk_create(
        [Responsibility(activity=world.checkpoint.activity, organization=school)]
    )
    assert world.roadmap.pk not in _visible_to(user)  # bulk writes send no signals …
    participants_rebuild([world.roadmap.pk])  # … so their code rebuilds the participants
    assert world.roadmap.pk in _visible_to(user)
    assert RoadmapParticipant.objects.filter(roadmap=world.roadmap).count() == 2  # СОШ № 1 and № 3
