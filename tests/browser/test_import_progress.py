"""The progress page of an upload in a real browser under the portal's strict CSP: the bar is polled by
htmx while the worker has not finished, and the browser moves on to the preview by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, expect

from config.celery import app
from roadmaps.services.imports import import_upload_create, import_upload_parse

PLAN = "\n".join(
    ["План мероприятий на 2025 год", "№\tМероприятие\tСрок", "1\tСеминар для педагогов\tМарт 2025 года"]
).encode()


@pytest.mark.django_db(transaction=True)
def test_the_progress_page_moves_on_to_the_preview_once_the_worker_is_done(
    browser: Browser, live_server, world, settings, tmp_path: Path, monkeypatch, artifacts: Path
):
    settings.MEDIA_ROOT = tmp_path
    # The task goes to the broker (memory:// without CELERY_BROKER_URL) and no worker reads it yet.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    upload = import_upload_create(actor=world.staff, owner=world.region_org, file_name="план.txt", data=PLAN)
    django_client = Client()
    django_client.force_login(world.staff)
    context = browser.new_context(locale="ru-RU")
    name = django_settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": django_client.cookies[name].value, "url": live_server.url}])
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    try:
        page.goto(live_server.url + reverse("roadmaps:import-status", args=[upload.token]))
        expect(page.locator("#import-progress progress")).to_be_visible()
        expect(page.locator("#import-progress")).to_contain_text("В очереди")
        page.screenshot(path=str(artifacts / "import-progress.png"), full_page=True)

        import_upload_parse(upload_id=upload.pk)  # what the worker does when it gets to the upload

        preview = page.get_by_role("heading", name="Проверьте разбор перед сохранением")
        expect(preview).to_be_visible(timeout=10_000)
        assert page.url.endswith(reverse("roadmaps:import-preview", args=[upload.token, world.region_org.pk]))
        expect(page.get_by_text("Семинар для педагогов")).to_be_visible()
    finally:
        context.close()
    assert not [text for text in violations if "Content Security Policy" in text], violations
