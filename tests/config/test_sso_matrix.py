"""The single sign-on addresses × persona × single sign-on on or off.

Both addresses are public (whoever comes, signed in or not, from any region: they hold no organisation's
data, so there is no own/foreign side) and exist only while single sign-on is on: off, every persona gets
404, exactly as for an address the portal never had.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from config.oidc_settings import BACKEND, provider_settings

PERSONAS = [None, "staff", "coordinator", "analyst", "observer", "outsider", "outsider_coordinator"]
AUTHORIZE = "https://sso.example.org/realms/70/protocol/openid-connect/auth"


@pytest.fixture
def sso_on(settings):
    values = provider_settings(
        client_id="portal",
        client_secret="secret",
        provider_name="Keycloak области",
        endpoints={
            "OIDC_OP_AUTHORIZATION_ENDPOINT": AUTHORIZE,
            "OIDC_OP_TOKEN_ENDPOINT": "https://sso.example.org/token",
            "OIDC_OP_USER_ENDPOINT": "https://sso.example.org/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": "https://sso.example.org/certs",
        },
    )
    for name, value in values.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]


def _as(client, world, persona):
    if persona is not None:
        client.force_login(getattr(world, persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["oidc_authentication_init", "oidc_authentication_callback"])
def test_with_single_sign_on_off_its_addresses_answer_404_to_everyone(client, world, persona, name):
    response = _as(client, world, persona).get(reverse(name))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_with_single_sign_on_on_anyone_is_sent_to_the_provider(client, world, sso_on, persona):
    response = _as(client, world, persona).get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{AUTHORIZE}?response_type=code&scope=openid+email")
    assert "code_challenge_method=S256" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_with_single_sign_on_on_a_callback_without_a_code_returns_to_the_login_page(
    client, world, sso_on, persona
):
    response = _as(client, world, persona).get(reverse("oidc_authentication_callback"), follow=True)
    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "Вход через единую учётную запись не выполнен. Начните вход снова." in response.content.decode()


@pytest.mark.parametrize("name", ["oidc_authentication_init", "oidc_authentication_callback"])
def test_the_single_sign_on_addresses_take_only_get(client, world, sso_on, name):
    assert client.post(reverse(name)).status_code == 405


def test_the_provider_refusing_returns_to_the_login_page_with_a_message(client, world, sso_on):
    response = client.get(
        reverse("oidc_authentication_callback"), {"error": "access_denied", "state": "x"}, follow=True
    )
    assert response.redirect_chain[-1] == (reverse("login"), 302)
    assert "Вход через единую учётную запись не выполнен" in response.content.decode()


def test_with_single_sign_on_off_the_login_page_has_no_button(client, world):
    body = client.get(reverse("login")).content.decode()
    assert "Войти через" not in body
    assert "/accounts/oidc/" not in body


def test_with_single_sign_on_on_the_login_page_offers_the_provider(client, world, sso_on):
    body = client.get(reverse("login")).content.decode()
    assert (
        f'<a class="button" href="{reverse("oidc_authentication_init")}">Войти через Keycloak области</a>'
        in body
    )
