"""Every page names its icon, and /favicon.ico (asked for by browsers whatever the page says) answers."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_sends_browsers_to_the_svg_icon_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg"), "static/favicon.svg is missing"


@pytest.mark.django_db
def test_pages_link_the_icon_a_skip_link_and_a_menu_button_that_works_without_script(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:my-checkpoints")).content.decode()
    assert '<html lang="ru">' in page
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert '<a class="skip-link" href="#content">Перейти к содержанию</a>' in page
    assert '<main class="page" id="content" tabindex="-1">' in page
    # Hidden until static/js/nav.js takes over: without the script the navigation is simply shown.
    assert 'aria-controls="site-menu" hidden>Меню</button>' in page
    assert 'id="site-menu"' in page and 'src="/static/js/nav.js"' in page
