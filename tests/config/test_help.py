"""«Справка» (/help/): every page opens signed in or not, and every screenshot it shows is in static/help/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.help import HELP_PAGES

ROOT = Path(__file__).resolve().parents[2]
IMAGE = re.compile(r'<img src="/static/(help/[^"]+)"')
URLS = [reverse("help")] + [reverse("help-page", args=[page.slug]) for page in HELP_PAGES]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", ["anonymous", "staff", "coordinator", "analyst"])
def test_every_help_page_opens_for_anybody(client, world, url, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    response = client.get(url)
    assert response.status_code == 200
    assert "Справка" in response.content.decode()


def test_there_is_a_page_per_role():
    assert [page.title for page in HELP_PAGES] == [
        "Сотрудник органа управления",
        "Координатор организации",
        "Аналитик",
    ]


@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda page: page.slug)
def test_every_screenshot_a_help_page_shows_is_committed_in_static(client, page):
    body = client.get(reverse("help-page", args=[page.slug])).content.decode()
    images = IMAGE.findall(body)
    assert images, "each role's page shows its main tasks' screenshots"
    missing = [image for image in images if not (ROOT / "static" / image).is_file()]
    assert not missing, f"run `make help-screenshots` (tests/browser/test_help_screenshots.py): {missing}"


def test_every_committed_screenshot_is_shown_somewhere(client):
    shown = {image for page in HELP_PAGES for image in IMAGE.findall(
        client.get(reverse("help-page", args=[page.slug])).content.decode()
    )}  # fmt: skip
    committed = {f"help/{path.name}" for path in (ROOT / "static" / "help").glob("*.png")}
    assert committed == shown


def test_an_unknown_topic_is_404(client):
    assert client.get("/help/no-such-topic/").status_code == 404


def test_the_navigation_and_the_login_page_link_to_the_help(client, world):
    assert reverse("help") in client.get(reverse("login")).content.decode()
    client.force_login(world.coordinator)
    nav = client.get(reverse("roadmaps:my-checkpoints")).content.decode()
    assert f'<a href="{reverse("help")}"' in nav
