"""Single sign-on in Chromium, with the portal's CSP in force: an invited coordinator who never set a password
signs in through the test identity provider (tests/oidc_provider/, a second process) and lands in «Мои
мероприятия»; signing out goes through the provider's end-session page back to the portal's login page; an
address nobody invited is refused with the reason. Chromium reports any CSP violation on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from organizations.people import person_invite
from tests.oidc_provider.fixtures import PROVIDER_NAME, switch_on
from tests.oidc_provider.people import PASSWORD


def _provider_sign_in(page, username: str) -> None:
    page.get_by_role("link", name=f"Войти через {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Региональная система входа")).to_be_visible()
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль провайдера").fill(PASSWORD)
    page.get_by_role("button", name="Войти в систему").click()


@pytest.mark.django_db(transaction=True)
def test_an_invited_coordinator_signs_in_by_sso_and_out_through_the_provider(
    browser: Browser, live_server, world, settings, oidc_provider, artifacts: Path
):
    switch_on(settings, oidc_provider, logout_endpoint=oidc_provider.logout_endpoint)
    person_invite(
        actor=world.staff,
        organization=world.school,
        email="orlova@kedr.example",
        full_name="Орлова Светлана Петровна",
        role="coordinator",
    )
    context = browser.new_context(locale="ru-RU")
    violations: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{live_server.url}/accounts/login/")
        _provider_sign_in(page, "orlova")
        expect(page.get_by_role("heading", name="Мои мероприятия")).to_be_visible()
        expect(page.locator(".userbox")).to_contain_text("Светлана Петровна Орлова")
        page.screenshot(path=str(artifacts / "sso-1-coordinator-landed.png"), full_page=True)

        # Signing out: a form posted to the portal, redirected on to the provider (form-action allows it).
        page.get_by_role("button", name="Выйти").click()
        expect(page.get_by_role("heading", name="Вход в портал")).to_be_visible()
        # The provider forgot the person as well: the next single sign-on asks for its password again.
        page.get_by_role("link", name=f"Войти через {PROVIDER_NAME}").click()
        expect(page.get_by_role("heading", name="Региональная система входа")).to_be_visible()
    finally:
        context.close()
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_an_address_nobody_invited_is_refused_on_the_login_page(
    browser: Browser, live_server, world, settings, oidc_provider, artifacts: Path
):
    switch_on(settings, oidc_provider)
    context = browser.new_context(locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        _provider_sign_in(page, "stranger")
        expect(page.get_by_role("heading", name="Вход в портал")).to_be_visible()
        expect(
            page.get_by_text("Учётной записи с адресом stranger@elsewhere.example в портале нет.")
        ).to_be_visible()
        page.screenshot(path=str(artifacts / "sso-2-refused.png"), full_page=True)
    finally:
        context.close()
