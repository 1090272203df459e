"""Two staff adding the same school to a project at once leave one participant and a Russian refusal, not a
500 (the unique constraint decides; on PostgreSQL, as CI runs it, each in its own connection)."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from organizations.models import Membership
from projects import services
from projects.models import Participant
from tests import factories
from tests.concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
]


def _add(user_pk: int, project_pk: int, school_pk: int) -> None:
    from django.contrib.auth import get_user_model

    from organizations.models import Organization
    from projects.models import Project

    services.participants_add(
        actor=get_user_model().objects.get(pk=user_pk),
        project=Project.objects.get(pk=project_pk),
        organizations=[Organization.objects.get(pk=school_pk)],
    )


def test_two_staff_adding_the_same_school_at_once_leave_one_participant(world, projects):
    second = factories.UserFactory(username="staff-2")
    Membership.objects.create(user=second, organization=world.region_org, role=Membership.Role.STAFF)
    for n in range(5):
        school = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
        outcomes = race(
            partial(_add, world.staff.pk, projects.regional.pk, school.pk),
            partial(_add, second.pk, projects.regional.pk, school.pk),
        )
        assert outcomes == ["ok", "refused"], n
        assert Participant.objects.filter(project=projects.regional, organization=school).count() == 1
