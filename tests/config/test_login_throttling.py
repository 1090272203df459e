"""Guessing passwords is throttled (django-axes, per username and address) and password-reset mail is
rationed (config/auth.py) without telling anyone which addresses are registered."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.auth import client_ip

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    # The reset limits count in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username: str, password: str, ip: str = "203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_then_the_right_one_is_refused_with_the_russian_lockout_page(
    client, world, settings
):
    for _ in range(50):
        assert _sign_in(client, "staff", "guess").status_code in (200, 429)
    response = _sign_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Вход временно заблокирован" in body
    assert f"неверно {settings.AXES_FAILURE_LIMIT} раз подряд" in body
    assert "через 15 мин." in body
    assert not _signed_in(client)


def test_the_lockout_starts_at_the_configured_number_of_failures(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _sign_in(client, "staff", "guess").status_code == 200  # the form again, with its error
    assert _sign_in(client, "staff", "guess").status_code == 429
    assert _sign_in(client, "staff", PASSWORD).status_code == 429


def test_a_lockout_holds_one_username_from_one_address_only(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _sign_in(client, "staff", "guess")
    assert _sign_in(client, "analyst", PASSWORD).status_code == 302  # another user, same address
    client.logout()
    assert _sign_in(client, "staff", PASSWORD, ip="198.51.100.7").status_code == 302  # same user, elsewhere


def test_the_lockout_ends_after_the_cool_off(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _sign_in(client, "staff", "guess")
    assert _sign_in(client, "staff", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert _sign_in(client, "staff", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_clears_the_count(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _sign_in(client, "staff", "guess")
    assert _sign_in(client, "staff", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        _sign_in(client, "staff", "guess")
    assert _sign_in(client, "staff", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(
            reverse("admin:login"), {"username": "root", "password": "guess"}, REMOTE_ADDR="203.0.113.9"
        )
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429


def test_test_client_login_and_force_login_still_sign_in(client, world):
    # authenticate() without a request (the test client, a management command) is not counted.
    assert client.login(username="staff", password=PASSWORD)
    assert not client.login(username="staff", password="guess")
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:my-checkpoints")).status_code == 200


def test_the_client_address_comes_from_the_trusted_proxy_only(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # X-Forwarded-For is whatever the client wrote
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"  # the address our proxy appended, not the forged one
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer hops than proxies: not behind them, keep the socket


# --- Password reset ---------------------------------------------------------------------------------


def _reset(client, email: str, ip: str = "203.0.113.5"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_fifteen_resets_for_one_address_send_one_mail_and_answer_alike(client, world):
    answers = {(r.status_code, r["Location"]) for r in (_reset(client, world.staff.email) for _ in range(15))}
    assert answers == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 1
    body = client.get(reverse("password_reset_done")).content.decode()
    assert "Если такой адрес зарегистрирован, на него отправлено письмо" in body
    assert "не раньше чем через 15 мин." in body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, world):
    response = _reset(client, "nobody@example.org")
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))
    assert mail.outbox == []


def test_the_address_may_ask_again_after_the_interval(client, world, settings):
    _reset(client, world.staff.email)
    with time_machine.travel(
        timezone.now() + datetime.timedelta(minutes=settings.PASSWORD_RESET_EMAIL_MINUTES + 1), tick=False
    ):
        _reset(client, world.staff.email.upper())
    assert len(mail.outbox) == 2


def test_one_client_address_may_ask_only_so_often(client, world, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 3
    for persona in ("staff", "analyst", "observer", "coordinator"):
        _reset(client, getattr(world, persona).email)
    assert [message.to for message in mail.outbox] == [
        [world.staff.email],
        [world.analyst.email],
        [world.observer.email],
    ]
    _reset(client, world.coordinator.email, ip="198.51.100.7")  # another address is not held back
    assert len(mail.outbox) == 4
