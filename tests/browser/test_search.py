"""Search in a real browser: a coordinator types a word into the navigation's search box and opens the
checkpoint found by its reported result; the list's Excel link downloads. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from roadmaps.outcomes import REPORTED


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_finds_a_checkpoint_from_the_navigation_and_downloads_the_results(
    sign_in, live_server, world, artifacts: Path
):
    checkpoint = world.checkpoint
    checkpoint.status, checkpoint.result = REPORTED, "Семинар проведён, протокол приложен"
    checkpoint.save()
    page = sign_in("coordinator")
    box = page.locator("nav.mainnav").get_by_role("searchbox")
    box.fill("протокол")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Поиск")).to_be_visible()
    found = page.locator("#checkpoints")
    expect(found).to_contain_text("найдено в результатах")
    page.screenshot(path=str(artifacts / "search-1-results.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать в Excel").click()
    assert download.value.suggested_filename.startswith("Поиск ")
    found.get_by_role("link", name="1.1. Провести семинар — I кв. 2025").click()
    expect(page).to_have_url(f"{live_server.url}/checkpoints/{checkpoint.pk}/")
