"""The help's screenshots come from here: each role's main tasks walked in a real browser.

They go to test-artifacts/help/, or to HELP_SCREENSHOTS_DIR: `make help-screenshots` points it at
static/help/, where the help pages (templates/help/) take them from.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reports.models import ReportRun

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = Path(os.environ.get("HELP_SCREENSHOTS_DIR") or artifacts / "help")
    folder = folder if folder.is_absolute() else ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name))


@pytest.mark.django_db(transaction=True)
def test_each_roles_main_tasks_as_the_help_shows_them(
    sign_in, live_server, world, settings, tmp_path: Path, shots: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    activity = world.checkpoint.activity

    # Staff: the roadmaps, one roadmap, an activity's form, the approval of a draft.
    staff = sign_in("staff")
    expect(staff.get_by_role("link", name="Новая дорожная карта")).to_be_visible()
    _shot(staff, shots, "staff-roadmap-list.png")
    staff.get_by_role("link", name=world.roadmap.title).click()
    expect(staff.get_by_role("link", name="Провести семинар")).to_be_visible()
    _shot(staff, shots, "staff-roadmap-detail.png")
    staff.goto(f"{base}/activities/{activity.pk}/edit/")
    expect(staff.get_by_label("Срок (как в документе)")).to_be_visible()
    _shot(staff, shots, "staff-activity-form.png")
    staff.goto(f"{base}/roadmaps/{world.draft.pk}/approve/")
    expect(staff.get_by_role("heading", name="Утверждение дорожной карты")).to_be_visible()
    _shot(staff, shots, "staff-approve.png")

    # The coordinator reports the checkpoint with a file, in place.
    coordinator = sign_in("coordinator")
    expect(coordinator.get_by_role("heading", name="Мои мероприятия")).to_be_visible()
    _shot(coordinator, shots, "coordinator-my-checkpoints.png")
    coordinator.locator(f"#cp-{world.checkpoint.pk}").get_by_role("link", name="Отметить выполнение").click()
    form_row = coordinator.locator(f"#cp-{world.checkpoint.pk}.editing")
    form_row.get_by_label("Фактическая дата").fill("20.03.2025")
    form_row.get_by_label("Результат").fill("Семинар проведён, 34 участника")
    pdf = tmp_path / "протокол.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% protocol\n")
    form_row.locator("input[type=file]").set_input_files(str(pdf))
    _shot(coordinator, shots, "coordinator-report-form.png")
    form_row.get_by_role("button", name="Отправить на проверку").click()
    expect(coordinator.locator(f"#cp-{world.checkpoint.pk}[data-status=reported]")).to_contain_text(
        "Отчёт отправлен на проверку."
    )
    _shot(coordinator, shots, "coordinator-reported.png")

    # Staff see it in the verification queue, and set up a schedule.
    staff.get_by_role("link", name="Проверка отчётов").click()
    expect(staff.locator(f"#verify-{world.checkpoint.pk}")).to_contain_text("Семинар проведён")
    _shot(staff, shots, "staff-verification.png")
    staff.locator(f"#verify-{world.checkpoint.pk}").get_by_role("button", name="Принять").click()
    expect(staff.locator(f"#verify-{world.checkpoint.pk}")).to_contain_text("Принято")
    staff.goto(f"{base}/reports/schedules/new/")
    expect(staff.get_by_label("Получатели (e-mail, по одному на строку)")).to_be_visible()
    _shot(staff, shots, "staff-schedule-form.png")

    # The analyst: the dashboard, then the FIOKO form as of a date.
    analyst = sign_in("analyst")
    analyst.goto(f"{base}/dashboard/")
    expect(analyst.locator("[data-outcome=on_time]").first).to_be_visible()
    _shot(analyst, shots, "analyst-dashboard.png")
    analyst.goto(f"{base}/reports/")
    # Each select sits inside its label, whose name then holds the options too: picked by field name.
    analyst.locator("select[name=scope]").select_option(f"roadmap:{world.roadmap.pk}")
    analyst.locator("select[name=kind]").select_option("fioko_form")
    analyst.locator("select[name=format]").select_option("xlsx")
    analyst.get_by_label("По состоянию на (ДД.ММ.ГГГГ)").fill("01.04.2025")
    _shot(analyst, shots, "analyst-reports.png")
    analyst.get_by_role("button", name="Сформировать").click()
    expect(analyst.get_by_role("link", name="Скачать")).to_be_visible()
    _shot(analyst, shots, "analyst-run-done.png")
    assert ReportRun.objects.get().as_of == datetime.date(2025, 4, 1)
