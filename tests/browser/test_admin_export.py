"""The admin's import-export page under the Content-Security-Policy: its «Select all» toggle works although
the library's inline onchange handler is blocked (static/admin/js/export_select_all.js does the job)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests import factories

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", ["activity", "checkpoint", "organization"])
def test_select_all_toggle_unchecks_and_checks_every_export_field(browser: Browser, live_server, model):
    factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill("root")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        app = "organizations" if model == "organization" else "roadmaps"
        page.goto(f"{live_server.url}/admin/{app}/{model}/export/")
        fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
        toggle = page.locator("input.select-toggle")
        assert fields.count() >= 2
        expect(fields.first).to_be_checked()

        toggle.uncheck()
        for index in range(fields.count()):
            expect(fields.nth(index)).not_to_be_checked()

        toggle.check()
        for index in range(fields.count()):
            expect(fields.nth(index)).to_be_checked()
    finally:
        context.close()
    # The policy stays strict: the library's inline handler is what it refuses, nothing of the portal's.
    assert all("inline event handler" in text for text in blocked), blocked
