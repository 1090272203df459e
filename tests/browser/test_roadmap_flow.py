"""The whole loop in a real browser: staff edit, a coordinator reports with a file, staff verify,
the dashboard shows it. A screenshot of each step goes to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_staff_edit_coordinator_reports_staff_verify_dashboard_updates(
    sign_in, live_server, world, settings, tmp_path: Path, artifacts: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    activity = world.checkpoint.activity

    # 1. Staff edit the activity from the roadmap page.
    staff = sign_in("staff")
    expect(staff.get_by_role("heading", name="Дорожные карты")).to_be_visible()
    staff.get_by_role("link", name=world.roadmap.title).click()
    staff.get_by_role("link", name="Провести семинар").click()
    staff.get_by_role("link", name="Изменить").click()
    staff.get_by_label("Наименование мероприятия").fill("Провести семинар для заместителей директоров")
    staff.get_by_label("Планируемый результат").fill("Не менее 30 участников")
    staff.get_by_role("button", name="Сохранить").click()
    expect(staff.get_by_text("Мероприятие сохранено.")).to_be_visible()
    expect(staff.get_by_role("heading", name="Провести семинар для заместителей директоров")).to_be_visible()
    staff.screenshot(path=str(artifacts / "1-staff-edited-activity.png"), full_page=True)

    # 2. The coordinator lands on «Мои мероприятия» and marks the checkpoint done with a file, in place.
    coordinator = sign_in("coordinator")
    expect(coordinator.get_by_role("heading", name="Мои мероприятия")).to_be_visible()
    row = coordinator.locator(f"#cp-{world.checkpoint.pk}")
    expect(row).to_contain_text("просрочено")
    row.get_by_role("link", name="Отметить выполнение").click()
    form_row = coordinator.locator(f"#cp-{world.checkpoint.pk}.editing")
    expect(form_row).to_be_visible()
    form_row.get_by_label("Фактическая дата").fill("20.03.2025")
    form_row.get_by_label("Результат").fill("Семинар проведён, 34 участника")
    pdf = tmp_path / "протокол.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% protocol\n")
    form_row.locator("input[type=file]").set_input_files(str(pdf))
    form_row.get_by_role("button", name="Отправить на проверку").click()
    done_row = coordinator.locator(f"#cp-{world.checkpoint.pk}[data-status=reported]")
    expect(done_row).to_contain_text("Отчёт отправлен на проверку.")
    expect(done_row).to_contain_text("протокол.pdf")
    coordinator.screenshot(path=str(artifacts / "2-coordinator-reported.png"), full_page=True)

    # 3. Staff verify it from the queue.
    staff.get_by_role("link", name="Проверка отчётов").click()
    card = staff.locator(f"#verify-{world.checkpoint.pk}")
    expect(card).to_contain_text("Семинар проведён, 34 участника")
    with staff.expect_download() as download:
        card.get_by_role("link", name="протокол.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    card.get_by_role("button", name="Принять").click()
    expect(staff.locator(f"#verify-{world.checkpoint.pk}")).to_contain_text("Принято")
    staff.screenshot(path=str(artifacts / "3-staff-verified.png"), full_page=True)

    # 4. The roadmap's dashboard counts it as done on time, and the activity history shows each step.
    staff.goto(f"{base}/roadmaps/{world.roadmap.pk}/dashboard/")
    expect(staff.locator("[data-outcome=on_time]")).to_have_text("1")
    expect(staff.locator("[data-outcome=overdue]")).to_have_text("0")
    staff.screenshot(path=str(artifacts / "4-dashboard.png"), full_page=True)
    staff.goto(f"{base}/activities/{activity.pk}/")
    expect(staff.locator(".history")).to_contain_text("выполнено")
    expect(staff.locator(".history")).to_contain_text("на проверке")
    staff.screenshot(path=str(artifacts / "5-activity-history.png"), full_page=True)
