"""Excel onboarding in a real browser: staff download the template, fill it, upload it, read the preview,
confirm, and find the new school in the tree. Screenshots go to test-artifacts/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from organizations.models import Membership, Organization


@pytest.mark.django_db(transaction=True)
def test_staff_onboard_a_school_and_its_coordinator_from_the_template(
    sign_in, live_server, world, artifacts: Path, tmp_path: Path
):
    staff = sign_in("staff")
    staff.locator("nav.mainnav").get_by_role("link", name="Организации").click()
    with staff.expect_download() as download_info:
        staff.locator("#onboarding-links").get_by_role("link", name="Шаблон").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    book = load_workbook(template)
    book["Организации"].append(
        [None, "Средняя общеобразовательная школа № 9", "СОШ № 9", "общеобразовательная организация", "ДО"]
    )
    book["Сотрудники"].append(["Орлова Мария Ивановна", "orlova@example.org", "СОШ № 9", "координатор"])
    filled = tmp_path / "школы.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    filled.write_bytes(buffer.getvalue())

    staff.locator("#onboarding-links").get_by_role("link", name="Загрузить из Excel").click()
    staff.get_by_label("Файл Excel (.xlsx)").set_input_files(str(filled))
    staff.get_by_role("button", name="Проверить файл").click()
    expect(staff.locator("#org-row-2")).to_contain_text("будет создана")
    expect(staff.locator("#person-row-2")).to_contain_text("новая учётная запись")
    staff.screenshot(path=str(artifacts / "onboarding-1-preview.png"), full_page=True)
    staff.get_by_role("button", name="Подтвердить и записать").click()
    expect(staff.locator("#onboarding-applied")).to_contain_text("Организаций добавлено: 1")

    staff.get_by_role("link", name="К организациям").click()
    staff.get_by_role("link", name="3 организации →").click()
    created = Organization.objects.get(short_name="СОШ № 9")
    expect(staff.locator(f"#organization-{created.pk}")).to_contain_text("общеобразовательная организация")
    staff.screenshot(path=str(artifacts / "onboarding-2-in-the-tree.png"), full_page=True)
    assert created.parent == world.region_org
    assert Membership.objects.filter(user__email="orlova@example.org", organization=created).exists()
