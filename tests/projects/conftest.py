"""Projects of the shared world: a national project with a federal one below it (the «500+»), a regional
project of each region, their participants and a curator person of the home region."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from organizations.models import Membership, Organization
from projects.models import Participant, Project
from tests import factories


@dataclass
class Projects:
    national: Project
    federal: Project
    regional: Project
    foreign_regional: Project
    fioko: Organization
    foreign_school: Organization
    curator: object
    participant: Participant
    foreign_participant: Participant


@pytest.fixture
def projects(world) -> Projects:
    fioko = factories.OrganizationFactory(
        full_name="Федеральный институт оценки качества образования", short_name="ФИОКО",
        kind=Organization.Kind.FEDERAL_COORDINATOR, region=None,
    )  # fmt: skip
    national = factories.ProjectFactory(
        code="obrazovanie", name="Образование", level=Project.Level.NATIONAL, year_start=2019, year_end=2030
    )
    federal = factories.ProjectFactory(
        code="500plus", name="500+", level=Project.Level.FEDERAL, parent=national, coordinator=fioko
    )
    regional = factories.ProjectFactory(
        code="tomsk-500", name="Региональный проект 500+", parent=federal, region=world.region_org.region,
        coordinator=world.region_org,
    )  # fmt: skip
    foreign_regional = factories.ProjectFactory(
        code="sakhalin", name="Проект другой области", region=world.foreign_org.region,
        coordinator=world.foreign_org,
    )  # fmt: skip
    foreign_school = factories.OrganizationFactory(
        full_name="Школа другой области", short_name="Школа МО", parent=world.foreign_org,
        region=world.foreign_org.region,
    )  # fmt: skip
    curator = factories.UserFactory(username="curator", first_name="Пётр", last_name="Кураторов")
    Membership.objects.create(user=curator, organization=world.region_org, role=Membership.Role.OBSERVER)
    participant = Participant.objects.create(
        project=federal, organization=world.school, curator=world.region_org, curator_user=curator
    )
    foreign_participant = Participant.objects.create(
        project=federal, organization=foreign_school, curator_name="Сидорова И. И."
    )
    return Projects(
        national=national,
        federal=federal,
        regional=regional,
        foreign_regional=foreign_regional,
        fioko=fioko,
        foreign_school=foreign_school,
        curator=curator,
        participant=participant,
        foreign_participant=foreign_participant,
    )
