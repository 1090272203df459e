"""Dates a person sets, in a real browser: a hand-set checkpoint, the deadline-change confirmation, and a
mismatch resolved from «Требует проверки». Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from roadmaps import services
from roadmaps.models import Checkpoint


@pytest.mark.django_db(transaction=True)
def test_staff_set_a_date_by_hand_for_an_activity_due_by_event(sign_in, live_server, world, artifacts: Path):
    activity = services.activity_create(
        actor=world.staff, roadmap=world.roadmap, number="2.1.", title="Сведения по запросу",
        deadline_text="по запросу Минпросвещения России",
    )  # fmt: skip
    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/activities/{activity.pk}/")
    expect(staff.get_by_text("Контрольных точек нет")).to_be_visible()

    adding = staff.locator("details.checkpoint-add")
    adding.locator("summary").click()
    adding.get_by_label("Срок").fill("31.11.2025")
    adding.get_by_label("Отчётный период").fill("Запрос ноября")
    adding.get_by_role("button", name="Добавить").click()
    # An impossible date is refused with why, and what was typed stays.
    expect(staff.get_by_text("31.11.2025: в ноябре 30 дней.")).to_be_visible()
    adding = staff.locator("details.checkpoint-add")
    expect(adding.get_by_label("Отчётный период")).to_have_value("Запрос ноября")
    adding.get_by_label("Срок").fill("28.11.2025")
    adding.get_by_role("button", name="Добавить").click()

    expect(staff.get_by_text("Контрольная точка добавлена.")).to_be_visible()
    row = staff.locator("#checkpoints tbody tr")
    expect(row).to_contain_text("Запрос ноября")
    expect(row).to_contain_text("28.11.2025")
    expect(staff.get_by_text("заданы вручную")).to_be_visible()
    staff.screenshot(path=str(artifacts / "schedule-1-hand-set.png"), full_page=True)
    assert list(activity.checkpoints.values_list("planned_due", flat=True)) == [datetime.date(2025, 11, 28)]


@pytest.mark.django_db(transaction=True)
def test_a_new_deadline_is_confirmed_before_checkpoints_are_removed(
    sign_in, live_server, world, artifacts: Path
):
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.draft,
        number="3.1.",
        title="Мониторинг",
        deadline_text="ежеквартально",
    )
    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/activities/{activity.pk}/edit/")
    staff.get_by_label("Срок (как в документе)").fill("ежегодно в ноябре")
    staff.get_by_role("button", name="Сохранить").click()

    change = staff.locator(".schedule-change")
    expect(change).to_contain_text("Проверьте, что станет с контрольными точками")
    expect(change.locator('[data-change="removed"]')).to_have_count(12)
    expect(change.locator('[data-change="added"]')).to_have_count(3)
    expect(staff.get_by_label("Срок (как в документе)")).to_have_value("ежегодно в ноябре")
    staff.screenshot(path=str(artifacts / "schedule-2-confirm.png"), full_page=True)
    assert activity.checkpoints.count() == 12, "nothing is deleted before the confirmation"

    staff.get_by_role("button", name="Подтвердить и сохранить").click()
    expect(staff.get_by_text("Мероприятие сохранено.")).to_be_visible()
    expect(staff.locator("#checkpoints tbody tr")).to_have_count(3)
    assert activity.checkpoints.count() == 3


@pytest.mark.django_db(transaction=True)
def test_staff_move_a_reported_checkpoint_to_the_new_deadline(sign_in, live_server, world, artifacts: Path):
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.draft,
        number="4.1.",
        title="Отчёт",
        deadline_text="до 1 марта 2025 г.",
    )
    reported = activity.checkpoints.get()
    Checkpoint.objects.filter(pk=reported.pk).update(
        status=Checkpoint.Status.REPORTED, actual_date=datetime.date(2025, 2, 20), result="Отчёт направлен"
    )
    activity.refresh_from_db()
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version,
        deadline_text="до 15 апреля 2025 г.",
    )  # fmt: skip
    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/review/")
    mismatches = staff.locator("#mismatches")
    expect(mismatches).to_contain_text("этого периода в нём больше нет")
    staff.screenshot(path=str(artifacts / "schedule-3-mismatch.png"), full_page=True)

    mismatches.get_by_role("button", name="Перенести на «до 15.04.2025» (15.04.2025)").click()

    expect(staff.get_by_text("Контрольная точка перенесена на новый срок.")).to_be_visible()
    expect(staff.locator("#mismatches")).to_contain_text("Расхождений нет.")
    (moved,) = activity.checkpoints.all()
    assert (moved.pk, moved.planned_due, moved.result) == (
        reported.pk,
        datetime.date(2025, 4, 15),
        "Отчёт направлен",
    )
