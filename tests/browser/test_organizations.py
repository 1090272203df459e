"""The organisation directory in a real browser: staff add a school under their authority and find it in the
tree. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from organizations.models import Organization


@pytest.mark.django_db(transaction=True)
def test_staff_add_a_school_under_their_authority_and_see_it_in_the_tree(
    sign_in, live_server, world, artifacts: Path
):
    staff = sign_in("staff")
    staff.locator("nav.mainnav").get_by_role("link", name="Организации").click()
    staff.get_by_role("link", name=world.region_org.short_name, exact=True).click()
    staff.get_by_role("link", name="Добавить подчинённую организацию").click()

    staff.get_by_label("Полное наименование").fill("Средняя общеобразовательная школа № 7")
    staff.get_by_label("Краткое наименование").fill("СОШ № 7")
    staff.get_by_label("ИНН").fill("70170")
    staff.get_by_role("button", name="Добавить").click()
    # A bad ИНН is refused with why, and what was typed stays.
    expect(staff.get_by_text("ИНН — 10 цифр у организации")).to_be_visible()
    expect(staff.get_by_label("Краткое наименование")).to_have_value("СОШ № 7")
    staff.get_by_label("ИНН").fill("7017000007")
    staff.get_by_role("button", name="Добавить").click()

    expect(staff.get_by_text("Организация «СОШ № 7» добавлена.")).to_be_visible()
    expect(staff.get_by_role("heading", name="СОШ № 7")).to_be_visible()

    staff.locator("nav.mainnav").get_by_role("link", name="Организации").click()
    staff.get_by_role("link", name="3 организации →").click()
    created = Organization.objects.get(short_name="СОШ № 7")
    row = staff.locator(f"#organization-{created.pk}")
    expect(row).to_contain_text("7017000007")
    expect(row).to_contain_text("общеобразовательная организация")
    staff.screenshot(path=str(artifacts / "organizations-1-school-added.png"), full_page=True)
    assert created.parent == world.region_org
