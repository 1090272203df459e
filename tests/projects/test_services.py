"""Writes to projects and participants: through the services, in history with the actor, within scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations.models import Membership
from projects import services
from projects.models import Participant, Project
from tests import factories


def test_staff_add_schools_with_a_curator_and_history_names_them(world, projects):
    result = services.participants_add(
        actor=world.staff,
        project=projects.regional,
        organizations=[world.school, world.other_school],
        curator=world.region_org,
        curator_user=projects.curator,
    )
    assert [p.organization for p in result.added] == [world.school, world.other_school]
    participant = Participant.objects.get(project=projects.regional, organization=world.other_school)
    assert participant.curator_user == projects.curator
    assert participant.curator_display == "Пётр Кураторов"
    assert participant.history.get().history_user == world.staff


def test_adding_a_school_already_taking_part_is_refused_in_russian(world, projects):
    with pytest.raises(ValidationError, match="Уже участвуют в проекте: «СОШ № 1»"):
        services.participants_add(actor=world.staff, project=projects.federal, organizations=[world.school])
    assert Participant.objects.filter(project=projects.federal, organization=world.school).count() == 1


def test_adding_many_keeps_the_new_ones_and_reports_those_already_there(world, projects):
    result = services.participants_add(
        actor=world.staff, project=projects.federal, organizations=[world.school, world.other_school]
    )
    assert [p.organization for p in result.added] == [world.other_school]
    assert result.already == [world.school]


def test_an_inactive_school_is_never_made_a_participant(world, projects):
    world.other_school.is_active = False
    world.other_school.save()
    with pytest.raises(ValidationError, match="не действует"):
        services.participants_add(
            actor=world.staff, project=projects.regional, organizations=[world.other_school]
        )
    assert not Participant.objects.filter(project=projects.regional).exists()


def test_staff_cannot_add_a_school_of_another_region(world, projects):
    with pytest.raises(PermissionDenied):
        services.participants_add(
            actor=world.staff, project=projects.federal, organizations=[projects.foreign_school]
        )


def test_a_refused_row_writes_nothing(world, projects):
    with pytest.raises(PermissionDenied):
        services.participants_add(
            actor=world.staff,
            project=projects.regional,
            organizations=[world.other_school, projects.foreign_school],
        )
    assert not Participant.objects.filter(project=projects.regional).exists()


def test_only_staff_add_participants(world, projects):
    for persona in (world.analyst, world.observer, world.coordinator):
        with pytest.raises(PermissionDenied):
            services.participants_add(actor=persona, project=projects.regional, organizations=[world.school])


def test_a_curator_person_must_be_a_member_of_the_curator_organisation(world, projects):
    stranger = factories.UserFactory(username="stranger")
    Membership.objects.create(user=stranger, organization=world.school, role=Membership.Role.COORDINATOR)
    with pytest.raises(ValidationError) as caught:
        services.participants_add(
            actor=world.staff, project=projects.regional, organizations=[world.other_school],
            curator=world.region_org, curator_user=stranger,
        )  # fmt: skip
    assert "curator_user" in caught.value.message_dict
    # Without a curator organisation a member of any organisation in scope will do.
    services.participants_add(
        actor=world.staff,
        project=projects.regional,
        organizations=[world.other_school],
        curator_user=stranger,
    )


def test_a_person_without_a_membership_in_scope_is_not_a_curator(world, projects):
    with pytest.raises(ValidationError) as caught:
        services.participants_add(
            actor=world.staff, project=projects.regional, organizations=[world.school],
            curator_user=world.outsider,
        )  # fmt: skip
    assert "curator_user" in caught.value.message_dict


def test_an_inactive_curator_organisation_is_refused(world, projects):
    centre = factories.OrganizationFactory(
        parent=world.region_org, region=world.region_org.region, is_active=False
    )
    with pytest.raises(ValidationError) as caught:
        services.participants_add(
            actor=world.staff, project=projects.regional, organizations=[world.school], curator=centre
        )
    assert "curator" in caught.value.message_dict


def test_staff_change_a_participants_curator_and_remove_it(world, projects):
    participant = services.participant_update(
        actor=world.staff, participant=projects.participant, curator=None, curator_user=None,
        curator_name="Иванов И. И.", note="с 2025 года",
    )  # fmt: skip
    assert participant.curator_display == "Иванов И. И."
    services.participant_remove(actor=world.staff, participant=participant)
    assert not Participant.objects.filter(pk=participant.pk).exists()
    removed = Participant.history.filter(id=participant.pk).latest("history_date")
    assert removed.history_type == "-"
    assert removed.history_user == world.staff


def test_staff_of_another_region_cannot_change_a_participant(world, projects):
    with pytest.raises(PermissionDenied):
        services.participant_remove(actor=world.outsider, participant=projects.participant)
    with pytest.raises(PermissionDenied):
        services.participant_update(actor=world.coordinator, participant=projects.participant, curator=None)


def test_staff_create_a_regional_project_of_their_region(world, projects):
    project = services.project_create(
        actor=world.staff, code="new-one", name="Новый проект", level=Project.Level.REGIONAL,
        parent=projects.federal, region=world.region_org.region, year_start=2025, year_end=2027,
    )  # fmt: skip
    assert project.history.get().history_user == world.staff


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": Project.Level.FEDERAL}, "level"),
        ({"region": "foreign"}, "region"),
        ({"parent": "foreign_regional"}, "parent"),
    ],
)
def test_staff_cannot_make_a_national_project_or_one_of_another_region(world, projects, changes, field):
    fields = {"code": "bad", "name": "Проект", "level": Project.Level.REGIONAL,
              "region": world.region_org.region, "year_start": 2025, "year_end": 2026}  # fmt: skip
    for name, value in changes.items():
        if value == "foreign":
            value = world.foreign_org.region
        elif value == "foreign_regional":
            value = projects.foreign_regional
        fields[name] = value
    with pytest.raises(ValidationError) as caught:
        services.project_create(actor=world.staff, **fields)
    assert field in caught.value.message_dict
    assert not Project.objects.filter(code="bad").exists()


def test_national_and_federal_projects_are_read_only_for_staff(world, projects):
    for project in (projects.national, projects.federal, projects.foreign_regional):
        with pytest.raises(PermissionDenied):
            services.project_update(actor=world.staff, project=project, name="Другое")
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=world.analyst, code="x", name="x", level=Project.Level.REGIONAL,
            region=world.region_org.region, year_start=2025, year_end=2026,
        )  # fmt: skip


def test_staff_edit_their_regional_project_and_cannot_take_it_to_another_region(world, projects):
    services.project_update(actor=world.staff, project=projects.regional, name="Школы 500+ области")
    projects.regional.refresh_from_db()
    assert projects.regional.name == "Школы 500+ области"
    with pytest.raises(ValidationError):
        services.project_update(actor=world.staff, project=projects.regional, region=world.foreign_org.region)
    projects.regional.refresh_from_db()
    assert projects.regional.region == world.region_org.region


def test_a_project_cannot_go_under_its_own_child(world, projects):
    child = factories.ProjectFactory(code="child", parent=projects.regional, region=world.region_org.region)
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=None, project=projects.regional, parent=child)
    assert "parent" in caught.value.message_dict
