"""Writes to the organisation directory: scope, history, paths of moved subtrees, data versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations import services
from organizations.models import Organization
from roadmaps.models import Roadmap
from roadmaps.services import ConcurrentEditError
from tests import factories


def _municipal(world, name: str = "Управление образования района") -> Organization:
    return services.organization_create(
        actor=world.staff,
        full_name=name,
        short_name=name[:20],
        parent=world.region_org,
        kind=Organization.Kind.MUNICIPAL_AUTHORITY,
    )


def test_staff_create_an_organisation_under_theirs_with_its_path_and_history(world):
    created = _municipal(world)
    assert created.path == f"{world.region_org.path}{created.pk}/"
    assert created.region == world.region_org.region
    assert created.history.get().history_user == world.staff


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "observer", "outsider"])
def test_only_staff_of_the_parents_subtree_create_under_it(world, persona):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=getattr(world, persona), full_name="Школа", short_name="Школа", parent=world.region_org
        )
    assert not Organization.objects.filter(short_name="Школа").exists()


def test_a_bad_inn_is_refused_on_the_inn_field(world):
    with pytest.raises(ValidationError) as refused:
        services.organization_update(
            actor=world.staff, organization=world.school, expected_version=1, inn="12345"
        )
    assert "inn" in refused.value.message_dict
    world.school.refresh_from_db()
    assert world.school.inn == ""


def test_update_changes_contacts_records_the_actor_and_moves_the_roadmaps_data_version(world):
    before = Roadmap.objects.get(pk=world.roadmap.pk).data_version
    services.organization_update(
        actor=world.staff,
        organization=world.school,
        expected_version=world.school.version,
        short_name="Школа № 1",
        inn="7017000000",
        phone="1-23",
    )
    school = Organization.objects.get(pk=world.school.pk)
    assert (school.short_name, school.inn, school.phone) == ("Школа № 1", "7017000000", "1-23")
    assert school.history.latest().history_user == world.staff
    # The school is responsible in the roadmap, whose reports print its name.
    assert Roadmap.objects.get(pk=world.roadmap.pk).data_version != before


def test_an_edit_made_on_top_of_an_older_version_is_refused(world):
    services.organization_update(actor=world.staff, organization=world.school, expected_version=1, phone="1")
    with pytest.raises(ConcurrentEditError) as refused:
        services.organization_update(
            actor=world.staff, organization=world.school, expected_version=1, phone="2"
        )
    assert refused.value.current.phone == "1"
    assert Organization.objects.get(pk=world.school.pk).phone == "1"


def test_update_refuses_fields_that_have_their_own_service(world):
    with pytest.raises(TypeError):
        services.organization_update(
            actor=world.staff, organization=world.school, expected_version=1, parent=None
        )


def test_moving_a_branch_re_paths_every_descendant(world):
    district = _municipal(world)
    other = _municipal(world, "Управление образования города")
    school = services.organization_create(
        actor=world.staff, full_name="Школа района", short_name="Школа района", parent=district
    )
    branch = services.organization_create(
        actor=world.staff, full_name="Филиал", short_name="Филиал", parent=school
    )
    services.organization_move(actor=world.staff, organization=district, parent=other)
    district.refresh_from_db()
    school.refresh_from_db()
    branch.refresh_from_db()
    assert district.path == f"{other.path}{district.pk}/"
    assert school.path == f"{district.path}{school.pk}/"
    assert branch.path == f"{school.path}{branch.pk}/"
    assert district.history.latest().parent_id == other.pk


def test_moving_an_organisation_moves_the_data_version_of_roadmaps_below_it(world):
    district = _municipal(world)
    other = _municipal(world, "Управление образования города")
    roadmap = factories.RoadmapFactory(owner=district)
    before = roadmap.data_version
    services.organization_move(actor=world.staff, organization=district, parent=other)
    assert Roadmap.objects.get(pk=roadmap.pk).data_version != before


def test_moving_a_district_moves_the_data_version_of_roadmaps_its_schools_answer_for(world):
    district = _municipal(world)
    other = _municipal(world, "Управление образования города")
    school = services.organization_create(
        actor=world.staff, parent=district, full_name="Школа в районе", short_name="Школа в районе",
        kind=Organization.Kind.SCHOOL,
    )  # fmt: skip
    roadmap = factories.RoadmapFactory(owner=world.foreign_org)
    factories.ResponsibilityFactory(activity=factories.ActivityFactory(roadmap=roadmap), organization=school)
    before = Roadmap.objects.get(pk=roadmap.pk).data_version

    services.organization_move(actor=world.staff, organization=district, parent=other)

    assert Roadmap.objects.get(pk=roadmap.pk).data_version != before


def test_an_organisation_cannot_be_moved_into_its_own_subtree(world):
    district = _municipal(world)
    below = services.organization_create(
        actor=world.staff, full_name="ММЦ", short_name="ММЦ", parent=district
    )
    with pytest.raises(ValidationError):
        services.organization_move(actor=world.staff, organization=district, parent=below)
    below.refresh_from_db()
    assert below.path == f"{district.path}{below.pk}/"


def test_staff_cannot_move_their_own_organisation_or_move_below_a_foreign_one(world):
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=world.staff, organization=world.region_org, parent=world.school)
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=world.staff, organization=world.school, parent=world.foreign_org)
    world.school.refresh_from_db()
    assert world.school.parent == world.region_org


def test_coordinator_cannot_deactivate_their_school(world):
    with pytest.raises(PermissionDenied):
        services.organization_set_active(actor=world.coordinator, organization=world.school, active=False)


def test_deactivated_organisation_is_kept_in_history_and_not_offered(world):
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    assert not Organization.objects.active().filter(pk=world.other_school.pk).exists()
    assert Organization.objects.get(pk=world.other_school.pk).history.latest().is_active is False
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=True)
    assert Organization.objects.active().filter(pk=world.other_school.pk).exists()


def test_an_organisation_with_active_ones_below_is_not_deactivated(world):
    district = _municipal(world)
    services.organization_create(actor=world.staff, full_name="Школа", short_name="Школа", parent=district)
    with pytest.raises(ValidationError):
        services.organization_set_active(actor=world.staff, organization=district, active=False)
    assert Organization.objects.get(pk=district.pk).is_active


def test_nothing_is_created_under_an_inactive_organisation(world):
    district = _municipal(world)
    services.organization_set_active(actor=world.staff, organization=district, active=False)
    district.refresh_from_db()
    with pytest.raises(ValidationError):
        services.organization_create(
            actor=world.staff, full_name="Школа", short_name="Школа", parent=district
        )


def test_deactivating_a_responsible_school_moves_the_roadmaps_data_version(world):
    before = Roadmap.objects.get(pk=world.roadmap.pk).data_version
    services.organization_set_active(actor=world.staff, organization=world.school, active=False)
    assert Roadmap.objects.get(pk=world.roadmap.pk).data_version != before
