"""The timeline («План-график») in a real browser at 1366 and 375 px: filtered by section, marks readable as
text, no horizontal overflow of the document, axe-core clean on the timeline. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _plan(world):
    roadmap = factories.RoadmapFactory(
        owner=world.region_org,
        year_start=2025,
        year_end=2026,
        title="Дорожная карта развития дополнительного образования",
    )
    first = factories.SectionFactory(roadmap=roadmap, number="1.", title="Организационные меры", position=1)
    second = factories.SectionFactory(
        roadmap=roadmap, number="2.", title="Методическая поддержка школ", position=2
    )
    for n, (section, title) in enumerate(
        [
            (first, "Утвердить состав рабочей группы по реализации дорожной карты"),
            (first, "Провести региональный семинар для руководителей"),
            (second, "Издать методические рекомендации для школьных координаторов"),
            (second, "Организовать курсы повышения квалификации"),
        ]
    ):
        activity = factories.ActivityFactory(
            roadmap=roadmap, section=section, number=f"{section.number}{n + 1}.", title=title,
            deadline_text="ежеквартально",
        )  # fmt: skip
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        for quarter in range(4):
            due = datetime.date(2025 + (n + quarter) // 4, 3 * ((n + quarter) % 4) + 3, 28)
            factories.CheckpointFactory(
                activity=activity, planned_start=due.replace(day=1), planned_due=due,
                period_label=f"{quarter + 1} кв.",
                status="done" if quarter == 0 else "reported" if quarter == 1 else "planned",
                actual_date=due if quarter < 2 else None,
            )  # fmt: skip
    return roadmap


# What the timeline puts on the page: its filters and the chart with its list. The chart may be wider than
# the screen only inside its own scrolling frame. The top bar and the roadmap's tabs (base.html,
# partials/roadmap_header.html) are the shared layout's, made to wrap by the responsive work of issue 19;
# with it in, this becomes the check of the whole document (scrollWidth <= clientWidth).
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('#timeline-filters, #timeline, #timeline-filters *, #timeline *')]
    .filter(e => !e.parentElement.closest('.tl-scroll') && e.getBoundingClientRect().right > width + 1)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}"""


def _overflowing(page: Page) -> list[str]:
    return page.evaluate(_OVERFLOWING)


def _axe_serious(page: Page) -> list[str]:
    # Evaluated through the driver: the page's CSP refuses injected script elements, rightly.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run({include: [['#timeline-filters'], ['#timeline']]}))"
    )
    violations = json.loads(result)["violations"]
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.django_db(transaction=True)
def test_a_department_head_filters_the_timeline_by_section_and_reads_it(
    sign_in, live_server, world, artifacts
):
    roadmap = _plan(world)
    page = sign_in("staff")
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/timeline/")
    expect(page.locator("#tl-title")).to_contain_text("План-график на 2025–2026")
    expect(page.locator(".tl-units .tl-tick").first).to_have_text("янв")
    expect(page.locator("tr.tl-activity")).to_have_count(4)

    page.get_by_label("Раздел", exact=True).select_option(label="2. Методическая поддержка школ")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#tl-filtered")).to_contain_text("Методическая поддержка школ")
    rows = page.locator("tr.tl-activity")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Издать методические рекомендации")
    # The marks show their symbol and carry their words; the PDF link keeps the filter.
    marks = rows.first.locator(".tl-mark")
    expect(marks).to_have_count(4)
    for index in range(4):
        expect(marks.nth(index)).to_be_visible()
        assert marks.nth(index).inner_text().strip() in {"В", "О", "П", "!", "Н"}
        assert ": " in marks.nth(index).get_attribute("aria-label")
    expect(rows.first.get_by_role("img", name="1 кв., срок 28.09.2025: выполнено в срок")).to_be_visible()
    expect(page.locator(".tl-list")).to_contain_text("срок 28.09.2025: выполнено в срок")
    assert "section=" in page.locator("#timeline-pdf").get_attribute("href")
    assert _overflowing(page) == []
    assert _axe_serious(page) == []
    page.screenshot(path=str(artifacts / "timeline-1-1366.png"), full_page=True)

    # On paper: no filters or navigation, the whole scale within the sheet's width.
    page.emulate_media(media="print")
    expect(page.locator("#timeline-filters")).to_be_hidden()
    expect(page.locator(".tabs")).to_be_hidden()
    assert page.evaluate(
        "document.querySelector('.tl-scroll').scrollWidth <= document.querySelector('.tl-scroll').clientWidth"
    )
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.locator("#tl-scroll-hint")).to_be_visible()
    expect(rows.first.locator(".tl-mark").first).to_be_attached()
    # The chart scrolls inside its own frame; the document itself is never wider than the phone.
    assert page.evaluate("document.querySelector('.tl-scroll').scrollWidth > 375")
    assert _overflowing(page) == []
    expect(page.locator(".tl-list td[data-label='Контрольные точки']").first).to_contain_text(
        "выполнено в срок"
    )
    page.screenshot(path=str(artifacts / "timeline-2-375.png"), full_page=True)
