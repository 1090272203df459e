"""Playwright drives Debian's Chromium (playwright install cannot download browsers here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

# Tasks run in-process in the browser tests too, even where a broker is configured (CI): a page that
# queues work — an import, a report — has no worker here unless a test asks for the real broker.
from tests.reports.conftest import eager_tasks, real_broker  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent: install it with `apt-get install -y chromium` to run browser tests"
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(reason + " (BROWSER_TESTS=required)")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


PASSWORD = "pass-word-123"  # tests.factories.UserFactory


@pytest.fixture
def sign_in(browser: Browser, live_server):
    """Open a fresh browser context per person; close them all before the live server's connections go."""
    contexts = []

    def _open(username: str) -> Page:
        context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
        contexts.append(context)
        return _sign_in(context.new_page(), live_server.url, username)

    yield _open
    for context in contexts:
        context.close()


def _sign_in(page: Page, base_url: str, username: str) -> Page:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    return page
