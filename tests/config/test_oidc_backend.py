"""Who single sign-on lets in (config/oidc.py), against real rows: the provider's verified e-mail names one
active, invited account with a membership; everything else is refused with its reason, and nothing is
created or changed."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from config.oidc import PortalOIDCBackend, Refused, account_for_claims
from config.oidc_settings import provider_settings
from organizations.models import Membership
from organizations.people import person_deactivate, person_invite
from tests import factories

User = get_user_model()


@pytest.fixture
def oidc_on(settings):
    # Endpoints only for the backend's constructor: nothing here talks to a provider.
    values = provider_settings(
        client_id="portal",
        client_secret="secret",
        endpoints={
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.example.org/auth",
            "OIDC_OP_TOKEN_ENDPOINT": "https://sso.example.org/token",
            "OIDC_OP_USER_ENDPOINT": "https://sso.example.org/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": "https://sso.example.org/certs",
        },
    )
    for name, value in values.items():
        setattr(settings, name, value)


def _claims(email: str, verified=True) -> dict:
    return {"sub": "1", "email": email, "email_verified": verified}


def _invite(world, email: str):
    return person_invite(
        actor=world.staff,
        organization=world.school,
        email=email,
        full_name="Орлова Светлана",
        role="coordinator",
    ).user


def test_an_invited_account_without_a_password_is_found_by_its_email(world):
    user = _invite(world, "orlova@kedr.example")
    assert not user.has_usable_password()
    assert account_for_claims(_claims("orlova@kedr.example")) == user


def test_the_email_is_matched_whatever_its_capitals_and_spaces(world):
    user = _invite(world, "ivanov@school.ru")
    assert account_for_claims(_claims(" Ivanov@School.RU ")) == user


def test_the_personas_are_found_too(world):
    assert account_for_claims(_claims("staff@example.org")) == world.staff


@pytest.mark.parametrize("verified", ["true", "True"])
def test_a_verified_flag_sent_as_a_string_counts(world, verified):
    assert account_for_claims(_claims("staff@example.org", verified)) == world.staff


@pytest.mark.parametrize("verified", [False, "false", None, "", 1])
def test_an_email_the_provider_did_not_verify_is_refused(world, verified):
    claims = _claims("staff@example.org", verified)
    with pytest.raises(Refused, match=re.escape("Адрес staff@example.org не подтверждён у поставщика входа")):
        account_for_claims(claims)


def test_missing_verification_flag_is_refused(world):
    with pytest.raises(Refused, match="не подтверждён"):
        account_for_claims({"sub": "1", "email": "staff@example.org"})


@pytest.mark.parametrize("email", [None, "", "   "])
def test_no_email_is_refused(world, email):
    with pytest.raises(Refused, match="Поставщик входа не сообщил адрес электронной почты"):
        account_for_claims({"sub": "1", "email": email, "email_verified": True})


def test_an_unknown_email_is_refused_and_nothing_is_created(world):
    counts = (User.objects.count(), Membership.objects.count())
    with pytest.raises(Refused, match=re.escape("Учётной записи с адресом new@kedr.example в портале нет")):
        account_for_claims(_claims("new@kedr.example"))
    assert (User.objects.count(), Membership.objects.count()) == counts


def test_a_deactivated_account_is_refused(world):
    user = _invite(world, "orlova@kedr.example")
    person_deactivate(actor=world.staff, person=user)
    with pytest.raises(Refused, match="Учётная запись отключена"):
        account_for_claims(_claims("orlova@kedr.example"))


def test_an_account_without_a_membership_is_refused(world):
    factories.UserFactory(username="lonely@kedr.example", email="lonely@kedr.example")
    with pytest.raises(Refused, match="нет ни одной роли в организациях портала"):
        account_for_claims(_claims("Lonely@kedr.example"))


def test_two_accounts_with_one_address_are_refused_rather_than_guessed(world):
    factories.UserFactory(username="twin-a", email="twin@kedr.example")
    factories.UserFactory(username="twin-b", email="Twin@kedr.example")
    with pytest.raises(Refused, match=re.escape("С адресом twin@kedr.example несколько учётных записей")):
        account_for_claims(_claims("twin@kedr.example"))


@pytest.mark.parametrize("others", [0, 40])
def test_matching_takes_two_queries_however_many_people_there_are(world, django_assert_num_queries, others):
    for number in range(others):
        user = factories.UserFactory(
            username=f"teacher{number}@kedr.example", email=f"t{number}@kedr.example"
        )
        Membership.objects.create(user=user, organization=world.school, role="coordinator")
    # 1. the account by e-mail (two at most), 2. whether it has a membership
    with django_assert_num_queries(2):
        assert account_for_claims(_claims("coordinator@example.org")) == world.coordinator


def test_the_backend_matches_only_verified_emails(world, oidc_on):
    backend = PortalOIDCBackend()
    assert list(backend.filter_users_by_claims(_claims("STAFF@example.org"))) == [world.staff]
    assert not backend.filter_users_by_claims(_claims("staff@example.org", verified=False)).exists()
    assert not backend.filter_users_by_claims({"email_verified": True}).exists()


def test_the_backend_never_creates_an_account(world, oidc_on, settings):
    assert settings.OIDC_CREATE_USER is False
    with pytest.raises(SuspiciousOperation):
        PortalOIDCBackend().create_user(_claims("new@kedr.example"))
    assert not User.objects.filter(email="new@kedr.example").exists()


def test_the_backend_leaves_password_sign_ins_alone(world, oidc_on):
    # A login page address carrying ?code=&state= must not start a token exchange with the provider.
    request = RequestFactory().post("/accounts/login/?code=abc&state=def")
    assert PortalOIDCBackend().authenticate(request, username="staff", password="pass-word-123") is None
    assert PortalOIDCBackend().authenticate(None, nonce="n") is None


def test_the_backend_does_not_restore_a_session_of_a_deactivated_account(world, oidc_on):
    backend = PortalOIDCBackend()
    assert backend.get_user(world.coordinator.pk) == world.coordinator
    person_deactivate(actor=world.staff, person=world.coordinator)
    assert backend.get_user(world.coordinator.pk) is None
    assert backend.get_user(10**9) is None
