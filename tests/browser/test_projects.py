"""Projects in a real browser: staff open the «500+» project, add a school as a participant with a curator
and see it in the participants list with its progress. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from organizations.models import Membership, Organization
from projects.models import Participant, Project
from roadmaps.models import Roadmap
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_staff_add_a_school_with_a_curator_and_see_it_in_the_500_list(
    sign_in, live_server, world, artifacts: Path
):
    federal = factories.ProjectFactory(
        code="500plus", name="500+", level=Project.Level.FEDERAL, year_start=2021, year_end=2030
    )
    centre = factories.OrganizationFactory(
        full_name="Институт повышения квалификации", short_name="ТОИПКРО", parent=world.region_org,
        region=world.region_org.region, kind=Organization.Kind.REGIONAL_CENTRE,
    )  # fmt: skip
    # The home roadmap is the project's: the school answers there for one checkpoint, overdue since 31.03.25.
    Roadmap.objects.filter(pk=world.roadmap.pk).update(project=federal)
    curator = factories.UserFactory(username="curator", first_name="Пётр", last_name="Кураторов")
    Membership.objects.create(user=curator, organization=centre, role=Membership.Role.OBSERVER)

    staff = sign_in("staff")
    staff.locator("nav.mainnav").get_by_role("link", name="Проекты").click()
    staff.get_by_role("link", name="500+", exact=True).click()
    expect(staff.get_by_role("heading", name="500+")).to_be_visible()
    staff.get_by_role("link", name="Добавить участников").click()

    # A name nobody knows is refused with why, and what was typed stays.
    staff.get_by_role("textbox", name="Организации").fill("СОШ № 1\nШкола, которой нет")
    staff.get_by_label("Куратор (организация)").select_option(label="ТОИПКРО")
    staff.get_by_role("button", name="Добавить").click()
    expect(staff.get_by_text("Не найдены среди действующих организаций")).to_be_visible()
    expect(staff.get_by_role("textbox", name="Организации")).to_have_value("СОШ № 1\nШкола, которой нет")

    staff.get_by_role("textbox", name="Организации").fill("СОШ № 1")
    staff.get_by_label("Куратор (организация)").select_option(label="ТОИПКРО")
    staff.get_by_label("Куратор (сотрудник)").select_option(label="Пётр Кураторов (curator@example.org)")
    staff.get_by_role("button", name="Добавить").click()

    expect(staff.get_by_text("Добавлено участников: 1.")).to_be_visible()
    participant = Participant.objects.get(project=federal, organization=world.school)
    row = staff.locator(f"#participant-{participant.pk}")
    expect(row).to_contain_text("СОШ № 1")
    expect(row).to_contain_text("Пётр Кураторов")
    expect(row).to_contain_text("ТОИПКРО")
    expect(row.locator("td").nth(3)).to_have_text("0")  # выполнено
    expect(row.locator("td").nth(4)).to_have_text("1")  # всего
    expect(row.locator("td").nth(5)).to_have_text("1")  # просрочено
    staff.screenshot(path=str(artifacts / "projects-1-participant-added.png"), full_page=True)

    # The search of the list finds it; another name does not.
    staff.get_by_label("Наименование или ИНН").fill("СОШ № 1")
    staff.get_by_role("button", name="Найти").click()
    expect(staff.locator(f"#participant-{participant.pk}")).to_be_visible()
    assert participant.curator_user == curator
    assert participant.history.get().history_user == world.staff
