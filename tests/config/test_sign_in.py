"""Signing in: an e-mail typed in any case names its account, and every attempt costs one password hash,
so nothing in the timing tells a guesser whether an account exists or was switched off."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from organizations import people
from tests import factories
from tests.config.counting_hasher import CountingMD5PasswordHasher

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the throttling counts live in the cache and in axes' tables
    yield
    cache.clear()


def _sign_in(client, username: str, password: str = PASSWORD):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="203.0.113.5"
    )


@pytest.fixture
def ivanov(db):
    return factories.UserFactory(username="ivanov@school.ru", email="ivanov@school.ru")


def test_an_email_typed_in_another_case_signs_in_its_account(client, ivanov):
    response = _sign_in(client, "  Ivanov@School.RU ")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ivanov.pk)


def test_a_username_typed_exactly_still_wins_over_its_lower_case_twin(client, db):
    upper = factories.UserFactory(username="Admin")
    factories.UserFactory(username="admin")

    _sign_in(client, "Admin")

    assert client.session["_auth_user_id"] == str(upper.pk)


def test_failures_in_different_cases_count_towards_one_lockout(client, ivanov, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for typed in ("IVANOV@SCHOOL.RU", "Ivanov@School.ru", "ivanov@school.ru"):
        _sign_in(client, typed, "guess")

    assert _sign_in(client, "ivanov@school.ru").status_code == 429
    assert _sign_in(client, "Ivanov@School.RU").status_code == 429


def test_a_password_reset_by_an_email_in_another_case_reaches_the_account(client, ivanov):
    client.post(reverse("password_reset"), {"email": "IVANOV@School.ru"})

    assert [m.to for m in mail.outbox] == [["ivanov@school.ru"]]


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = ["tests.config.counting_hasher.CountingMD5PasswordHasher"]
    CountingMD5PasswordHasher.calls = 0
    return CountingMD5PasswordHasher


@pytest.fixture
def switched_off(world):
    people.person_deactivate(actor=world.staff, person=world.coordinator)
    return world.coordinator


@pytest.fixture
def invited(db):
    person = factories.UserFactory(username="invited@school.ru")
    person.set_unusable_password()
    person.save()
    return person


@pytest.mark.parametrize(
    ("username", "password", "says"),
    [
        ("nobody@nowhere.ru", PASSWORD, "Неверное имя пользователя или пароль"),
        ("analyst", "wrong-guess", "Неверное имя пользователя или пароль"),
        ("coordinator", "wrong-guess", "Неверное имя пользователя или пароль"),  # switched off
        ("coordinator", PASSWORD, "Учётная запись отключена"),  # switched off, right password
        ("invited@school.ru", PASSWORD, "Неверное имя пользователя или пароль"),  # no password yet
    ],
)
def test_every_refused_sign_in_costs_exactly_one_password_hash(
    client, world, switched_off, invited, counting, username, password, says
):
    response = _sign_in(client, username, password)

    assert response.status_code == 200 and says in response.content.decode()
    assert counting.calls == 1


def test_a_successful_sign_in_costs_one_password_hash_too(client, world, counting):
    assert _sign_in(client, "analyst").status_code == 302
    assert counting.calls == 1
