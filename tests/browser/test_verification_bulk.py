"""Issue 18's queue in a real browser: staff filter the verification queue to one school, select all and
accept; then tick two reports of another school and return both with one reason; that school's
coordinator sees both returned with the reason. The keyboard moves between cards and accepts one."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from roadmaps.models import Checkpoint
from tests import factories


def _reports(world, school, titles: list[str]) -> list[Checkpoint]:
    made = []
    for n, title in enumerate(titles):
        activity = factories.ActivityFactory(
            roadmap=world.roadmap, number=f"{school.pk}.{n + 1}.", title=title
        )
        factories.ResponsibilityFactory(activity=activity, organization=school)
        made.append(
            factories.CheckpointFactory(
                activity=activity,
                status=Checkpoint.Status.REPORTED,
                actual_date=datetime.date(2025, 3, 20),
                result=f"Сделано: {title}",
            )
        )
    return made


@pytest.mark.django_db(transaction=True)
def test_staff_accept_one_schools_reports_at_once_and_return_two_with_one_reason(
    sign_in, live_server, world, artifacts: Path
):
    accepted = _reports(world, world.other_school, ["Семинар", "Конкурс", "Олимпиада"])
    returned = _reports(world, world.school, ["Форум", "Практикум"])

    staff = sign_in("staff")
    staff.get_by_role("link", name="Проверка отчётов").click()
    expect(staff.locator("[data-card]")).to_have_count(5)

    # 1. Filter to one school, select all on the page, accept.
    staff.get_by_label("Организация").fill("СОШ № 2")
    staff.get_by_role("button", name="Найти").click()
    expect(staff.locator("[data-card]")).to_have_count(3)
    staff.get_by_label("выбрать все на странице").check()
    expect(staff.locator("#bulk-picked")).to_have_text("3")
    staff.get_by_role("button", name="Принять отмеченные").click()
    expect(staff.locator("ul.messages")).to_contain_text("Принято 3.")
    expect(staff.locator("[data-card]")).to_have_count(0)
    assert Checkpoint.objects.filter(pk__in=[c.pk for c in accepted], status="done").count() == 3

    # 2. The other school: tick two, one reason for both, return.
    staff.get_by_label("Организация").fill("СОШ № 1")
    staff.get_by_role("button", name="Найти").click()
    for checkpoint in returned:
        staff.locator(f"#verify-{checkpoint.pk} .bulk-pick").check()
    staff.get_by_label("Причина возврата (одна для всех)").fill("Приложите протоколы с подписями")
    staff.get_by_role("button", name="Вернуть отмеченные").click()
    expect(staff.locator("ul.messages")).to_contain_text("Возвращено на доработку 2.")
    staff.screenshot(path=str(artifacts / "18-verification-bulk-returned.png"), full_page=True)

    # 3. The coordinator of that school sees both returned, with the reason.
    coordinator = sign_in("coordinator")
    coordinator.get_by_role("link", name="Мои мероприятия").first.click()
    for title in ("Форум", "Практикум"):
        row = coordinator.locator("article", has_text=title).first
        expect(row).to_contain_text("Приложите протоколы с подписями")
    for checkpoint in returned:
        checkpoint.refresh_from_db()
        assert (checkpoint.status, checkpoint.return_reason) == (
            "returned",
            "Приложите протоколы с подписями",
        )


@pytest.mark.django_db(transaction=True)
def test_the_keyboard_moves_between_cards_and_accepts_the_current_one(sign_in, live_server, world):
    first, second = _reports(world, world.school, ["Форум", "Практикум"])
    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/verification/")
    expect(staff.locator("#shortcuts")).to_contain_text("j — следующая карточка")
    staff.keyboard.press("j")
    expect(staff.locator(f"#verify-{first.pk}")).to_have_class("cp verify current")
    staff.keyboard.press("j")
    expect(staff.locator(f"#verify-{second.pk}")).to_have_class("cp verify current")
    staff.keyboard.press("a")
    expect(staff.locator(f"#verify-{second.pk}")).to_contain_text("Принято")
    staff.keyboard.press("k")
    staff.keyboard.press("r")
    expect(staff.locator(f"#verify-{first.pk} textarea[name=reason]")).to_be_focused()
    staff.keyboard.type("aj")  # typed into the reason: no shortcut fires
    expect(staff.locator(f"#verify-{first.pk}")).not_to_contain_text("Принято")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == ("reported", "done")
