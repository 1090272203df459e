"""The top bar on a phone: «Меню» folds the navigation, opens it from the keyboard, Escape closes it;
«Перейти к содержанию» is the first stop of the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import _sign_in


@pytest.mark.django_db(transaction=True)
def test_the_menu_button_folds_the_navigation_on_a_phone_and_works_from_the_keyboard(
    browser: Browser, live_server, world
):
    context = browser.new_context(locale="ru-RU", viewport={"width": 375, "height": 800})
    try:
        page = _sign_in(context.new_page(), live_server.url, "coordinator")
        expect(page.get_by_role("heading", name="Мои мероприятия")).to_be_visible()
        menu = page.locator("#site-menu")
        button = page.get_by_role("button", name="Меню")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_hidden()

        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Перейти к содержанию")).to_be_focused()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(menu.get_by_role("link", name="Мои мероприятия")).to_be_visible()
        page.keyboard.press("Tab")
        expect(menu.get_by_role("link", name="Мои мероприятия")).to_be_focused()
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_be_focused()
        expect(menu).to_be_hidden()

        # On a laptop the menu is always shown and the button is gone.
        page.set_viewport_size({"width": 1366, "height": 900})
        expect(menu).to_be_visible()
        expect(button).to_be_hidden()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_navigation_is_simply_shown(browser: Browser, live_server, world):
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 375, "height": 800}, java_script_enabled=False
    )
    try:
        page = _sign_in(context.new_page(), live_server.url, "coordinator")
        expect(page.locator("#site-menu").get_by_role("link", name="Мои мероприятия")).to_be_visible()
        expect(page.locator(".nav-toggle")).to_be_hidden()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
    finally:
        context.close()
