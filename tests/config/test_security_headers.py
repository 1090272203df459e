"""Content-Security-Policy and Permissions-Policy on every page; private pages and file downloads are
`Cache-Control: private, no-store`; the templates carry nothing the policy would block."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import PrivateCacheMiddleware

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# PDF templates are rendered by WeasyPrint on the server, never served to a browser.
SERVED = [path for path in TEMPLATES.rglob("*.html") if "pdf" not in path.relative_to(TEMPLATES).parts]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("signed_in", [True, False])
def test_every_page_has_a_csp_without_inline_scripts(client, world, signed_in):
    if signed_in:
        client.force_login(world.staff)
    response = client.get(reverse("roadmaps:roadmap-list") if signed_in else reverse("login"))
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src-elem"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_every_page_switches_off_camera_microphone_and_location(client, db):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_a_signed_in_page_is_private_and_not_stored(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("roadmaps:roadmap-list"))["Cache-Control"] == "private, no-store"


def test_a_roadmap_download_is_private_and_not_stored(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:roadmap-download", args=[world.roadmap.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def _through_middleware(response, *, signed_in: bool):
    request = RequestFactory().get("/")
    request.user = type("User", (), {"is_authenticated": signed_in})()
    return PrivateCacheMiddleware(lambda _request: response)(request)


def test_a_file_is_not_stored_even_for_an_anonymous_link():
    response = FileResponse(io.BytesIO(b"%PDF-1.4"), as_attachment=True, filename="f.pdf")
    assert _through_middleware(response, signed_in=False)["Cache-Control"] == "private, no-store"


def test_public_pages_keep_their_caching_and_views_keep_their_own():
    assert not _through_middleware(HttpResponse("login"), signed_in=False).has_header("Cache-Control")
    own = HttpResponse("poll")
    own["Cache-Control"] = "max-age=0"
    assert _through_middleware(own, signed_in=True)["Cache-Control"] == "max-age=0"


def test_htmx_injects_no_style_element_and_evaluates_no_code(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:roadmap-list")).content.decode()
    assert '"includeIndicatorStyles":false' in body
    assert '"allowEval":false' in body
    assert "js/portal.js" in body


@pytest.mark.parametrize("path", SERVED, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_event_handler(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text), (
        "inline <script>"
    )
    assert not re.search(r"\son[a-z]+\s*=", text), (
        "inline on…= handler: use data-confirm (static/js/portal.js)"
    )
    assert "<style" not in text, "a <style> element: move it into static/css/portal.css"
    assert "javascript:" not in text
