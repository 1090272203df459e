"""A person who is both staff of the authority and a school's coordinator picks whom they act for in the
header; the header says which and the navigation follows. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from organizations.models import Membership


@pytest.mark.django_db(transaction=True)
def test_switching_the_organisation_one_acts_for_changes_the_header_and_the_navigation(
    sign_in, live_server, world, artifacts: Path
):
    Membership.objects.create(user=world.staff, organization=world.school, role=Membership.Role.COORDINATOR)
    page = sign_in("staff")
    header = page.locator("[data-testid=acting]")
    nav = page.locator("nav.mainnav")
    expect(header).to_contain_text("Вы действуете от: все мои организации")

    page.get_by_label("Действовать от").select_option(label="ДО (сотрудник органа управления)")
    page.get_by_role("button", name="Сменить").click()
    expect(header).to_contain_text("Вы действуете от: ДО (сотрудник органа управления)")
    expect(nav.get_by_role("link", name="Проверка отчётов")).to_be_visible()
    expect(nav.get_by_role("link", name="Мои мероприятия")).to_have_count(0)

    page.get_by_label("Действовать от").select_option(label="СОШ № 1 (координатор)")
    page.get_by_role("button", name="Сменить").click()
    expect(page.get_by_text("Вы действуете от: СОШ № 1 (координатор).")).to_be_visible()  # the message
    expect(header).to_contain_text("Вы действуете от: СОШ № 1 (координатор)")
    expect(nav.get_by_role("link", name="Мои мероприятия")).to_be_visible()
    expect(nav.get_by_role("link", name="Проверка отчётов")).to_have_count(0)
    page.screenshot(path=str(artifacts / "acting-1-as-coordinator.png"), full_page=True)

    page.get_by_label("Действовать от").select_option(label="все мои организации")
    page.get_by_role("button", name="Сменить").click()
    expect(header).to_contain_text("Вы действуете от: все мои организации")
    expect(nav.get_by_role("link", name="Проверка отчётов")).to_be_visible()
