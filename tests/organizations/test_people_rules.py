"""Rules on people who already hold roles (organizations/people.py): nobody acts on themselves, a staff
role is acted on only from above, and an organisation keeps its last active staff member."""

from __future__ import annotations

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from organizations import people
from organizations.models import Membership
from tests import factories
from tests.concurrency import race

Role = Membership.Role


def _staff_of(organization, username: str):
    user = factories.UserFactory(username=username)
    return user, Membership.objects.create(user=user, organization=organization, role=Role.STAFF)


def _own(user, role=Role.STAFF) -> Membership:
    return Membership.objects.get(user=user, role=role)


def test_nobody_changes_their_own_role(world):
    with pytest.raises(ValidationError, match="собственную роль"):
        people.membership_role_change(actor=world.staff, membership=_own(world.staff), role=Role.ANALYST)
    assert _own(world.staff).role == Role.STAFF


def test_nobody_removes_their_own_role(world):
    with pytest.raises(ValidationError, match="самого себя"):
        people.membership_remove(actor=world.staff, membership=_own(world.staff))


def test_nobody_deactivates_themselves(world):
    with pytest.raises(ValidationError, match="собственную"):
        people.person_deactivate(actor=world.staff, person=world.staff)


def test_nobody_invites_themselves_to_another_role(world):
    with pytest.raises(ValidationError, match="самому себе"):
        people.person_invite(
            actor=world.staff,
            organization=world.school,
            email=world.staff.email,
            full_name="",
            role="observer",
        )
    assert not Membership.objects.filter(user=world.staff, organization=world.school).exists()


@pytest.mark.parametrize("action", ["demote", "remove", "deactivate"])
def test_staff_of_one_organisation_cannot_act_on_a_peer(world, action):
    peer, membership = _staff_of(world.region_org, "peer")
    with pytest.raises(ValidationError, match="вышестоящей организации"):
        if action == "demote":
            people.membership_role_change(actor=world.staff, membership=membership, role=Role.OBSERVER)
        elif action == "remove":
            people.membership_remove(actor=world.staff, membership=membership)
        else:
            people.person_deactivate(actor=world.staff, person=peer)
    membership.refresh_from_db()
    peer.refresh_from_db()
    assert membership.role == Role.STAFF and peer.is_active


def test_staff_of_one_organisation_still_manage_its_other_roles(world):
    people.membership_role_change(
        actor=world.staff, membership=_own(world.analyst, Role.ANALYST), role="observer"
    )
    people.person_deactivate(actor=world.staff, person=world.observer)
    world.observer.refresh_from_db()
    assert not world.observer.is_active


def test_staff_above_demote_a_schools_staff_member_who_is_not_the_last(world):
    _staff_of(world.school, "head")
    _deputy, deputy_membership = _staff_of(world.school, "deputy")

    people.membership_role_change(actor=world.staff, membership=deputy_membership, role=Role.COORDINATOR)

    deputy_membership.refresh_from_db()
    assert deputy_membership.role == Role.COORDINATOR


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_the_last_active_staff_member_is_neither_demoted_nor_removed(world, action):
    _head, head_membership = _staff_of(world.school, "head")
    switched_off, _membership = _staff_of(world.school, "left")
    people.person_deactivate(actor=world.staff, person=switched_off)  # an inactive colleague does not count

    with pytest.raises(ValidationError, match="последний действующий сотрудник"):
        if action == "demote":
            people.membership_role_change(actor=world.staff, membership=head_membership, role=Role.OBSERVER)
        else:
            people.membership_remove(actor=world.staff, membership=head_membership)
    head_membership.refresh_from_db()
    assert head_membership.role == Role.STAFF


def test_the_last_staff_member_can_still_be_switched_off_from_above(world):
    head, _membership = _staff_of(world.school, "head")

    people.person_deactivate(actor=world.staff, person=head)

    head.refresh_from_db()
    assert not head.is_active


def test_a_peers_removal_on_the_page_is_refused_with_the_reason(client, world):
    _peer, membership = _staff_of(world.region_org, "peer")
    client.force_login(world.staff)

    response = client.post(reverse("organizations:membership-remove", args=[membership.pk]), follow=True)

    assert response.status_code == 200
    assert "только сотрудник вышестоящей организации" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL")
def test_the_last_two_staff_removed_at_once_leave_one(world):
    for n in range(5):
        school = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
        first, second = (_staff_of(school, f"staff-{n}-{i}")[1] for i in range(2))

        outcomes = race(
            partial(people.membership_remove, actor=world.staff, membership=first),
            partial(people.membership_remove, actor=world.staff, membership=second),
        )

        assert outcomes == ["ok", "refused"], n
        assert Membership.objects.filter(organization=school, role=Role.STAFF).count() == 1
