"""A deactivated organisation keeps its history but is not offered where organisations are chosen."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations import people, services
from organizations.models import Membership, Organization
from roadmaps import services as roadmap_services
from roadmaps.importing import parse_file
from roadmaps.importing.save import match_organizations
from roadmaps.selectors.roadmaps import assignable_organizations
from roadmaps.views.coordinator import _indicator_form
from tests import factories


def _plan(responsible: str) -> bytes:
    return f"№\tМероприятие\tСрок\tОтветственный\n1.\tСеминар\t2025\t{responsible}\n".encode()


def test_a_deactivated_school_is_not_offered_as_responsible(world):
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    offered = set(assignable_organizations(roadmap=world.roadmap))
    assert world.school in offered
    assert world.other_school not in offered


def test_an_import_does_not_match_a_deactivated_organisation(world):
    parsed = parse_file(_plan("СОШ № 2"), "план.tsv")
    assert match_organizations(parsed, owner=world.region_org).found == {"СОШ № 2": world.other_school}
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    assert match_organizations(parsed, owner=world.region_org).unknown == ["СОШ № 2"]


# --- The selects of the portal's forms offer no deactivated organisation; rows already pointing at one show


@pytest.fixture
def closed_district(world) -> Organization:
    """A district under the authority, where its staff also hold a staff role, then switched off."""
    district = factories.OrganizationFactory(
        parent=world.region_org, region=world.region_org.region, kind=Organization.Kind.MUNICIPAL_AUTHORITY,
        short_name="Закрытое МОУО",
    )  # fmt: skip
    Membership.objects.create(user=world.staff, organization=district, role=Membership.Role.STAFF)
    services.organization_set_active(actor=world.staff, organization=district, active=False)
    return district


def _choices(response, field: str) -> set[int]:
    return {o.pk for o in response.context["form"].fields[field].queryset}


def test_the_new_roadmaps_owner_select_leaves_out_a_deactivated_organisation(client, world, closed_district):
    client.force_login(world.staff)
    url = reverse("roadmaps:roadmap-create")

    offered = _choices(client.get(url), "owner")
    refused = client.post(
        url, {"owner": closed_district.pk, "title": "План", "year_start": 2025, "year_end": 2026}
    )

    assert world.region_org.pk in offered and closed_district.pk not in offered
    assert "owner" in refused.context["form"].errors


def test_the_import_owner_select_leaves_out_a_deactivated_organisation(client, world, closed_district):
    client.force_login(world.staff)

    offered = _choices(client.get(reverse("roadmaps:import-upload")), "owner")

    assert world.region_org.pk in offered and closed_district.pk not in offered


def test_the_closed_periods_organisation_select_leaves_out_a_deactivated_one(client, world, closed_district):
    client.force_login(world.staff)

    offered = _choices(client.get(reverse("roadmaps:period-scope-close")), "organization")

    assert offered == {world.region_org.pk}


def test_a_period_closed_for_an_organisation_later_deactivated_still_shows(client, world):
    district = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
    Membership.objects.create(user=world.staff, organization=district, role=Membership.Role.STAFF)
    roadmap_services.period_close(
        actor=world.staff, organization=district, first_day=datetime.date(2026, 1, 1),
        last_day=datetime.date(2026, 3, 31), label="I кв. 2026",
    )  # fmt: skip
    services.organization_set_active(actor=world.staff, organization=district, active=False)
    client.force_login(world.staff)

    page = client.get(reverse("roadmaps:period-scope-list")).content.decode()

    assert "I кв. 2026" in page


def test_the_indicator_values_organisation_select_leaves_out_a_deactivated_one(world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    world.other_school.refresh_from_db()

    form = _indicator_form(indicator, [world.school, world.other_school])

    assert [o.pk for o in form.organization_list] == [world.school.pk]
    assert set(form.fields["organization"].queryset) == {world.school}


def test_nobody_is_invited_into_a_deactivated_organisation(client, world):
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    world.other_school.refresh_from_db()

    with pytest.raises(ValidationError, match="не действует"):
        people.person_invite(
            actor=world.staff,
            organization=world.other_school,
            email="new@school.ru",
            full_name="Новый",
            role="observer",
        )
    client.force_login(world.staff)
    page = client.get(reverse("organizations:people-list", args=[world.other_school.pk])).content.decode()
    assert "в неё больше не приглашают" in page and "/invite/" not in page
    assert not Membership.objects.filter(organization=world.other_school).exists()


def test_a_roadmap_of_a_deactivated_owner_still_shows(client, world, closed_district):
    roadmap = factories.RoadmapFactory(owner=closed_district, title="План закрытого МОУО")
    client.force_login(world.staff)

    assert client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).status_code == 200
    assert "План закрытого МОУО" in client.get(reverse("roadmaps:roadmap-list")).content.decode()
