"""Importing a Word plan in a real browser: the preview's passport, approval tick and grouped organisation
spellings, then the roadmap page with the document's headings nested. Screenshots go to test-artifacts/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import Browser, expect

from organizations.models import OrganizationAlias
from roadmaps.models import Roadmap
from tests import factories

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


def _word_plan() -> bytes:
    document = Document()
    for text in ("УТВЕРЖДЕН", "постановлением администрации района от 01.02.2025 № 123",
                 "План мероприятий по развитию дополнительного образования на 2025 год"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["Подпрограмма 1. Дополнительное образование", "", "", ""],
        ["Цель 1. Охват детей", "", "", ""],
        ["Задача 1.1. Новые кружки", "", "", ""],
        ["1.", "Открытие кружка робототехники", "Сентябрь 2025 г.", "МБУ ДО ДДТ"],
        ["2.", "Конкурс юных техников", "Ежеквартально", "МБУ ДО «ДДТ»"],
        ["3.", "Выставка работ", "Декабрь 2025 г.", "ДДТ"],
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_staff_import_a_word_plan_approve_it_on_the_preview_and_see_its_headings_nested(
    browser: Browser, live_server, world, settings, tmp_path: Path, artifacts: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ddt = factories.OrganizationFactory(
        full_name="Дом детского творчества", short_name="Дом творчества", parent=world.region_org,
        region=world.region_org.region,
    )  # fmt: skip
    plan = tmp_path / "план.docx"
    plan.write_bytes(_word_plan())
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    refused_by_csp: list[str] = []
    page.on(
        "console", lambda m: refused_by_csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Имя пользователя").fill("staff")
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.goto(live_server.url + reverse("roadmaps:import-upload"))
        page.get_by_label("Организация-владелец").select_option(str(world.region_org.pk))
        page.locator("input[type=file]").set_input_files(str(plan))
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/import/[^/]+/\d+/$"), timeout=30_000)

        expect(page.get_by_label("Название дорожной карты")).to_have_value(
            "План мероприятий по развитию дополнительного образования на 2025 год"
        )
        expect(page.get_by_text("(постановление от 01.02.2025 № 123)")).to_be_visible()
        spellings = page.locator('select[name^="org-"]')
        expect(spellings).to_have_count(1)  # three spellings of one organisation, one choice
        page.get_by_label("Год окончания").fill("2026")
        page.get_by_label("Уровень").select_option("municipal")
        spellings.select_option(str(ddt.pk))
        page.get_by_label("Утвердить при импорте").check()
        page.screenshot(path=str(artifacts / "import-1-preview.png"), full_page=True)
        page.get_by_role("button", name="Сохранить дорожную карту").click()

        expect(page.get_by_text("Дорожная карта импортирована")).to_be_visible()
        expect(page.locator(".block.level-2 h2")).to_have_text(re.compile("Новые кружки"))
        expect(page.locator(".block.level-1 h2")).to_have_text(re.compile("Цель 1. Охват детей"))
        page.screenshot(path=str(artifacts / "import-2-roadmap.png"), full_page=True)
    finally:
        context.close()

    roadmap = Roadmap.objects.latest("pk")
    assert (roadmap.status, roadmap.period, roadmap.level) == ("approved", (2025, 2026), "municipal")
    assert roadmap.activities.filter(responsibilities__organization=ddt).count() == 3
    assert OrganizationAlias.objects.filter(organization=ddt).count() == 2
    assert refused_by_csp == []
