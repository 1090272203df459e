"""Staff invite a school's coordinator; the coordinator sets a password from the mail and lands in
«Мои мероприятия»; staff switch the account off and its sign-in is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from organizations.services import organization_create


@pytest.mark.django_db(transaction=True)
def test_staff_invite_a_coordinator_who_sets_a_password_and_is_later_switched_off(
    browser: Browser, sign_in, live_server, world, artifacts: Path
):
    school = organization_create(
        actor=world.staff,
        full_name="Средняя школа № 7 села Кедровое",
        short_name="СОШ № 7",
        parent=world.region_org,
    )

    # 1. Staff invite the coordinator from the school's «Сотрудники и координаторы».
    staff = sign_in("staff")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.goto(f"{live_server.url}/people/organizations/{school.pk}/")
    expect(staff.get_by_role("heading", name="Сотрудники и координаторы")).to_be_visible()
    staff.get_by_label("Фамилия, имя, отчество").fill("Орлова Светлана Петровна")
    staff.get_by_label("E-mail").fill("orlova@kedr.example")
    staff.get_by_label("Роль").select_option(label="координатор")
    staff.get_by_role("button", name="Пригласить").click()
    expect(staff.get_by_text("Приглашение отправлено: orlova@kedr.example.")).to_be_visible()
    expect(staff.locator("tbody")).to_contain_text("приглашение отправлено")
    staff.screenshot(path=str(artifacts / "invite-1-staff-invited.png"), full_page=True)

    # 2. The mail (locmem backend, same process as the live server) carries the one-time link.
    assert [m.to for m in mail.outbox] == [["orlova@kedr.example"]]
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
        coordinator.screenshot(path=str(artifacts / "invite-2-coordinator-landed.png"), full_page=True)

        # The link was for one use only.
        coordinator.goto(live_server.url + link)
        expect(coordinator.get_by_role("heading", name="Ссылка недействительна")).to_be_visible()

        # 3. Staff switch the account off; the open session ends and signing in is refused, in Russian.
        staff.reload()
        row = staff.locator("tr", has_text="Орлова")
        expect(row).to_contain_text("активна")
        row.get_by_role("button", name="Отключить").click()
        expect(staff.get_by_text("Учётная запись отключена: войти с ней больше нельзя.")).to_be_visible()
        expect(staff.locator("tr", has_text="Орлова")).to_contain_text("отключена")

        coordinator.goto(f"{live_server.url}/my/")
        expect(coordinator.get_by_role("heading", name="Вход в портал")).to_be_visible()
        coordinator.get_by_label("Имя пользователя").fill("orlova@kedr.example")
        coordinator.get_by_label("Пароль").fill("Кедровая-шишка-2025")
        coordinator.get_by_role("button", name="Войти").click()
        expect(coordinator.get_by_text("Учётная запись отключена.")).to_be_visible()
        coordinator.screenshot(path=str(artifacts / "invite-3-login-refused.png"), full_page=True)
    finally:
        context.close()
