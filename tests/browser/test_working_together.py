"""Issue 17's loop in a real browser: staff return a report with a reason, the coordinator sees the
unread count, opens the thread, replies with a file and re-reports; staff see the whole thread and accept."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from roadmaps import services


@pytest.mark.django_db(transaction=True)
def test_a_returned_report_is_discussed_re_reported_and_accepted(
    sign_in, live_server, world, settings, tmp_path: Path, artifacts: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Семинар проведён",
    )
    thread_path = f"/checkpoints/{world.checkpoint.pk}/"

    # 1. Staff return the report with a reason from the verification queue.
    staff = sign_in("staff")
    staff.get_by_role("link", name="Проверка отчётов").click()
    card = staff.locator(f"#verify-{world.checkpoint.pk}")
    card.get_by_label("Причина возврата").fill("Приложите список участников")
    card.get_by_role("button", name="Вернуть").click()
    expect(staff.locator(f"#verify-{world.checkpoint.pk}")).to_contain_text("Приложите список участников")
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]  # e-mailed at once, by default
    assert thread_path in mail.outbox[0].body

    # 2. The coordinator sees the unread count, opens the notification and lands in the thread.
    coordinator = sign_in("coordinator")
    expect(coordinator.locator("#unread-count")).to_have_text("1")
    coordinator.get_by_role("link", name="Уведомления").click()
    coordinator.get_by_role("link", name="Отчёт возвращён на доработку").click()
    expect(coordinator).to_have_url(f"{live_server.url}{thread_path}")
    expect(coordinator.locator("#unread-count")).to_have_text("")
    thread = coordinator.locator("ol.thread")
    expect(thread).to_contain_text("Семинар проведён")
    expect(thread).to_contain_text("Приложите список участников")

    # 3. They reply with a file, then report again on a form that starts empty.
    coordinator.get_by_label("Сообщение").fill("Список прилагаю")
    listing = tmp_path / "список.pdf"
    listing.write_bytes(b"%PDF-1.4\n% list\n")
    coordinator.locator("form.comment-form input[type=file]").set_input_files(str(listing))
    coordinator.get_by_role("button", name="Отправить сообщение").click()
    expect(coordinator.get_by_text("Сообщение добавлено.")).to_be_visible()
    expect(thread).to_contain_text("Список прилагаю")
    expect(thread.get_by_role("link", name="список.pdf")).to_be_visible()
    coordinator.get_by_role("link", name="Отметить выполнение").click()
    expect(coordinator.get_by_text("Прежний отчёт")).to_be_visible()
    expect(coordinator.get_by_label("Результат")).to_have_value("")
    coordinator.get_by_label("Фактическая дата").fill("21.03.2025")
    coordinator.get_by_label("Результат").fill("Семинар проведён, список участников приложен")
    coordinator.get_by_role("button", name="Отправить на проверку").click()
    sent = "Отчёт отправлен на проверку."
    expect(coordinator.locator(f"#cp-{world.checkpoint.pk}").get_by_text(sent)).to_be_visible()
    expect(coordinator.locator("#live-region")).to_have_text(sent)
    coordinator.screenshot(path=str(artifacts / "17-coordinator-re-reported.png"), full_page=True)

    # 4. Staff see the whole story in one thread and accept there.
    staff.goto(f"{live_server.url}{thread_path}")
    story = staff.locator("ol.thread")
    for said in ("Семинар проведён", "Приложите список участников", "Список прилагаю",
                 "Семинар проведён, список участников приложен"):  # fmt: skip
        expect(story).to_contain_text(said)
    staff.get_by_role("button", name="Принять").click()
    expect(staff.locator(f"#verify-{world.checkpoint.pk}")).to_contain_text("Принято")
    staff.screenshot(path=str(artifacts / "17-staff-accepted-in-thread.png"), full_page=True)
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == "done"
