"""Invitations, roles and deactivation (organizations/people.py)."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organizations import people
from organizations.models import Membership
from tests import factories

User = get_user_model()
Role = Membership.Role


def _invite(world, django_capture_on_commit_callbacks, **overrides) -> Membership:
    fields = {
        "actor": world.staff,
        "organization": world.school,
        "email": "Petrova@School.example",
        "full_name": "Петрова Мария Ивановна",
        "role": Role.COORDINATOR,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return people.person_invite(**{**fields, **overrides})


def _link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/people/invitation/\S+/)", message.body).group(1)


def test_invitation_creates_an_account_without_a_password_and_mails_a_link(
    world, django_capture_on_commit_callbacks
):
    membership = _invite(world, django_capture_on_commit_callbacks)
    user = membership.user
    assert (user.username, user.email, user.last_name, user.first_name) == (
        "petrova@school.example",
        "petrova@school.example",
        "Петрова",
        "Мария Ивановна",
    )
    assert user.is_active and not user.has_usable_password()
    assert (membership.organization, membership.role) == (world.school, Role.COORDINATOR)
    assert [m.to for m in mail.outbox] == [["petrova@school.example"]]
    assert "СОШ № 1" in mail.outbox[0].body
    assert "только один раз" in mail.outbox[0].body


def test_no_mail_leaves_when_the_invitation_is_rolled_back(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        people.person_invite(
            actor=world.staff, organization=world.school, email="x@example.org", full_name="Икс", role="nope"
        )
    assert mail.outbox == []
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_link_sets_a_password_once_and_signs_in(client, world, django_capture_on_commit_callbacks):
    _invite(world, django_capture_on_commit_callbacks)
    path = _link_path(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert "Задать пароль и войти" in form_page.content.decode()
    new = {"new_password1": "Синий-трактор-42", "new_password2": "Синий-трактор-42"}
    response = client.post(form_page.redirect_chain[-1][0], new)
    # Signed in, sent home, and home sends a coordinator to «Мои мероприятия».
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("roadmaps:my-checkpoints")
    client.logout()
    again = client.get(path, follow=True)
    assert "Ссылка недействительна" in again.content.decode()


def test_the_link_expires_after_password_reset_timeout(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    _invite(world, django_capture_on_commit_callbacks)
    path = _link_path(mail.outbox[0])
    assert "до " in mail.outbox[0].body
    with time_machine.travel(time.time() + 3 * 24 * 3600 + 1):
        assert "Ссылка недействительна" in client.get(path, follow=True).content.decode()
    with time_machine.travel(time.time() + 3 * 24 * 3600 - 60):
        assert "Задать пароль и войти" in client.get(path, follow=True).content.decode()


def test_an_existing_active_account_gets_the_membership_without_a_second_account(
    world, django_capture_on_commit_callbacks
):
    membership = _invite(world, django_capture_on_commit_callbacks, email=world.analyst.email.upper())
    assert membership.user == world.analyst
    # They already have a password and sign in as before: told of the new role, with no link to follow.
    assert [m.to for m in mail.outbox] == [[world.analyst.email]]
    assert "роль «координатор»" in mail.outbox[0].body and "СОШ № 1" in mail.outbox[0].body
    assert "/people/invitation/" not in mail.outbox[0].body


def test_a_deactivated_account_is_not_invited_back_by_its_address(world, django_capture_on_commit_callbacks):
    people.person_deactivate(actor=world.staff, person=world.coordinator)
    with pytest.raises(ValidationError, match="отключена"):
        _invite(world, django_capture_on_commit_callbacks, email=world.coordinator.email)


def test_the_same_role_twice_is_refused(world, django_capture_on_commit_callbacks):
    _invite(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="уже есть"):
        _invite(world, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "observer", "outsider"])
def test_only_staff_over_the_organisation_invite(world, persona, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        _invite(world, django_capture_on_commit_callbacks, actor=getattr(world, persona))
    assert not User.objects.filter(email="petrova@school.example").exists()


def test_staff_of_a_school_cannot_grant_a_role_above_the_school(world, django_capture_on_commit_callbacks):
    head = factories.UserFactory(username="head")
    Membership.objects.create(user=head, organization=world.school, role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        _invite(world, django_capture_on_commit_callbacks, actor=head, organization=world.region_org)
    assert _invite(world, django_capture_on_commit_callbacks, actor=head, role=Role.STAFF).role == Role.STAFF


def test_roles_are_ranked_staff_analyst_coordinator_observer(world):
    assert people.grantable_roles(actor=world.staff, organization=world.school) == [
        Role.STAFF,
        Role.ANALYST,
        Role.COORDINATOR,
        Role.OBSERVER,
    ]
    assert people.grantable_roles(actor=world.analyst, organization=world.school) == []
    assert people.grantable_roles(actor=world.outsider, organization=world.school) == []


def test_resending_kills_the_previous_link(client, world, django_capture_on_commit_callbacks):
    membership = _invite(world, django_capture_on_commit_callbacks)
    first = _link_path(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        people.invitation_resend(actor=world.staff, membership=membership)
    second = _link_path(mail.outbox[1])
    assert first != second
    assert "Ссылка недействительна" in client.get(first, follow=True).content.decode()
    assert "Задать пароль и войти" in client.get(second, follow=True).content.decode()


def test_no_resend_once_the_password_is_set(world):
    membership = Membership.objects.get(user=world.coordinator)
    with pytest.raises(ValidationError, match="Пароль уже задан"):
        people.invitation_resend(actor=world.staff, membership=membership)


def test_role_change_and_removal_are_in_history_with_the_actor(world):
    membership = Membership.objects.get(user=world.coordinator)
    people.membership_role_change(actor=world.staff, membership=membership, role=Role.OBSERVER)
    pk = membership.pk
    people.membership_remove(actor=world.staff, membership=membership)
    records = list(
        Membership.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_type", "role", "history_user")
    )
    assert records[-2:] == [("~", Role.OBSERVER, world.staff.pk), ("-", Role.OBSERVER, world.staff.pk)]
    assert not Membership.objects.filter(pk=pk).exists()
    assert User.objects.filter(pk=world.coordinator.pk).exists()


def test_staff_cannot_change_a_role_in_a_foreign_organisation(world):
    membership = Membership.objects.get(user=world.outsider_coordinator)
    with pytest.raises(PermissionDenied):
        people.membership_role_change(actor=world.staff, membership=membership, role=Role.OBSERVER)


def test_deactivation_keeps_the_account_and_names_the_actor(world):
    people.person_deactivate(actor=world.staff, person=world.coordinator)
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active is False
    last = world.coordinator.history.order_by("-history_id").first()
    assert (last.is_active, last.history_user) == (False, world.staff)
    people.person_reactivate(actor=world.staff, person=world.coordinator)
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active is True


def test_nobody_deactivates_someone_with_a_role_above_their_reach(world):
    # The analyst sits in the region organisation: staff of a school reach only the school.
    head = factories.UserFactory(username="head")
    Membership.objects.create(user=head, organization=world.school, role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        people.person_deactivate(actor=head, person=world.analyst)
    with pytest.raises(PermissionDenied):
        people.person_deactivate(actor=world.coordinator, person=world.staff)
    with pytest.raises(ValidationError):
        people.person_deactivate(actor=world.staff, person=world.staff)


def test_a_deactivated_persons_session_ends(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:my-checkpoints")).status_code == 200
    people.person_deactivate(actor=world.staff, person=world.coordinator)
    response = client.get("/people/me/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_deactivated_persons_login_is_refused_in_russian(client, world):
    people.person_deactivate(actor=world.staff, person=world.coordinator)
    response = client.post("/accounts/login/", {"username": "coordinator", "password": "pass-word-123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Учётная запись отключена" in body
    wrong = client.post("/accounts/login/", {"username": "coordinator", "password": "wrong-guess"})
    assert "Учётная запись отключена" not in wrong.content.decode()
    assert "Неверное имя пользователя или пароль" in wrong.content.decode()


def test_a_deactivated_persons_old_invitation_does_not_open(
    client, world, django_capture_on_commit_callbacks
):
    _invite(world, django_capture_on_commit_callbacks)
    invited = User.objects.get(email="petrova@school.example")
    people.person_deactivate(actor=world.staff, person=invited)
    assert "Ссылка недействительна" in client.get(_link_path(mail.outbox[0]), follow=True).content.decode()
