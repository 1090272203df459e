"""Issue 16's flow in one go: staff add a school in the browser, invite its coordinator to that very school,
the coordinator sets a password from the mail and lands in «Мои мероприятия»; staff switch the account off
and its sign-in is refused. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from organizations.models import Organization


@pytest.mark.django_db(transaction=True)
def test_staff_add_a_school_invite_its_coordinator_who_sets_a_password_and_is_later_switched_off(
    browser: Browser, sign_in, live_server, world, artifacts: Path
):
    # 1. Staff add the school under their authority.
    staff = sign_in("staff")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.locator("nav.mainnav").get_by_role("link", name="Организации").click()
    staff.get_by_role("link", name=world.region_org.short_name, exact=True).click()
    staff.get_by_role("link", name="Добавить подчинённую организацию").click()
    staff.get_by_label("Полное наименование").fill("Средняя школа № 7 села Кедровое")
    staff.get_by_label("Краткое наименование").fill("СОШ № 7")
    staff.get_by_label("ИНН").fill("7017000007")
    staff.get_by_role("button", name="Добавить").click()
    expect(staff.get_by_text("Организация «СОШ № 7» добавлена.")).to_be_visible()
    expect(staff.get_by_role("heading", name="СОШ № 7")).to_be_visible()
    school = Organization.objects.get(short_name="СОШ № 7")
    assert school.parent == world.region_org

    # 2. From that school's page, its «Сотрудники и координаторы»: the coordinator is invited.
    staff.get_by_role("link", name="Сотрудники и координаторы").click()
    expect(staff.get_by_role("heading", name="Сотрудники и координаторы")).to_be_visible()
    assert staff.url.endswith(f"/people/organizations/{school.pk}/")
    staff.get_by_label("Фамилия, имя, отчество").fill("Орлова Светлана Петровна")
    staff.get_by_label("E-mail").fill("Orlova@Kedr.example")
    staff.locator("#id_role").select_option(label="координатор")  # the search box says «…контрольным»
    staff.get_by_role("button", name="Пригласить").click()
    expect(staff.get_by_text("Приглашение отправлено: orlova@kedr.example.")).to_be_visible()
    expect(staff.locator("tbody")).to_contain_text("приглашение отправлено")
    staff.screenshot(path=str(artifacts / "invite-1-staff-invited.png"), full_page=True)

    # 3. The mail (locmem backend, same process as the live server) carries the one-time link.
    assert [m.to for m in mail.outbox] == [["orlova@kedr.example"]]
    assert "СОШ № 7" in mail.outbox[0].body
    link = re.search(r"https?://\S+?(/people/invitation/\S+/)", mail.outbox[0].body).group(1)
    context = browser.new_context(locale="ru-RU")
    try:
        coordinator = context.new_page()
        coordinator.goto(live_server.url + link)
        expect(coordinator.get_by_role("heading", name="Пароль для входа")).to_be_visible()
        coordinator.locator("input[name=new_password1]").fill("Кедровая-шишка-2025")
        coordinator.locator("input[name=new_password2]").fill("Кедровая-шишка-2025")
        coordinator.get_by_role("button", name="Задать пароль и войти").click()
        expect(coordinator.get_by_role("heading", name="Мои мероприятия")).to_be_visible()
        expect(coordinator.locator("[data-testid=acting]")).to_contain_text("СОШ № 7 (координатор)")
        coordinator.screenshot(path=str(artifacts / "invite-2-coordinator-landed.png"), full_page=True)

        # The link was for one use only.
        coordinator.goto(live_server.url + link)
        expect(coordinator.get_by_role("heading", name="Ссылка недействительна")).to_be_visible()

        # 4. Staff switch the account off; the open session ends and signing in is refused, in Russian.
        staff.reload()
        row = staff.locator("tr", has_text="Орлова")
        expect(row).to_contain_text("активна")
        row.get_by_role("button", name="Отключить").click()
        expect(staff.get_by_text("Учётная запись отключена: войти с ней больше нельзя.")).to_be_visible()
        expect(staff.locator("tr", has_text="Орлова")).to_contain_text("отключена")

        coordinator.goto(f"{live_server.url}/my/")
        expect(coordinator.get_by_role("heading", name="Вход в портал")).to_be_visible()
        coordinator.get_by_label("Имя пользователя").fill("Orlova@kedr.example")  # the case does not matter
        coordinator.get_by_label("Пароль").fill("Кедровая-шишка-2025")
        coordinator.get_by_role("button", name="Войти").click()
        expect(coordinator.get_by_text("Учётная запись отключена.")).to_be_visible()
        coordinator.screenshot(path=str(artifacts / "invite-3-login-refused.png"), full_page=True)
    finally:
        context.close()
