"""Hostile query strings on every list and filter screen: a page number, a filter or a date nobody could
have typed answers the page (first or last page, the filter ignored), never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.urls import reverse

from roadmaps.views._common import MAX_PAGE, page_number
from tests import factories

HOSTILE = [
    "²",
    "99999999999999999999999",
    "-1",
    "0",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "1\x00",
    "x" * 5000,
    "9999",
    "31.02.2026",
    "2026-02-31",
    "99.99.99999",
    "٣",  # an Arabic-Indic three: str.isdigit() says yes, the database does not
    "1; DROP TABLE roadmaps_roadmap",
]

CHANGELIST_PARAMS = ["p", "o", "q", "status__exact", "planned_due__year"]

# (persona, URL name, URL argument, query parameters the screen reads)
SCREENS = [
    ("staff", "roadmaps:roadmap-list", None, ["page", "q", "project", "level", "status", "year", "region"]),
    ("coordinator", "roadmaps:my-checkpoints", None, ["page", "group"]),
    ("staff", "roadmaps:verification-queue", None, ["page"]),
    ("staff", "roadmaps:review-list", None, ["page", "roadmap"]),
    ("staff", "roadmaps:dashboard", None, ["as_of"]),
    ("staff", "roadmaps:roadmap-dashboard", "roadmap", ["as_of"]),
    ("staff", "roadmaps:period-scope-list", None, ["page"]),
    ("staff", "reports:index", None, ["q", "page"]),
    ("staff", "reports:schedule-list", None, ["page"]),
    ("staff", "roadmaps:activity-create", "roadmap", ["section"]),
    # The admin's change lists and history pages: paging, sorting, filters, the date drill-down.
    ("root", "admin:roadmaps_checkpoint_changelist", None, CHANGELIST_PARAMS),
    ("root", "admin:roadmaps_roadmap_changelist", None, ["p", "year_start", "project__id__exact"]),
    ("root", "admin:roadmaps_roadmap_history", "roadmap", ["p", "page"]),
]

CASES = [
    pytest.param(persona, name, arg, param, value, id=f"{name}-{param}-{index}")
    for persona, name, arg, params in SCREENS
    for param in params
    for index, value in enumerate(HOSTILE)
]


@pytest.mark.parametrize(("persona", "name", "arg", "param", "value"), CASES)
def test_hostile_query_value_never_answers_500(client, world, persona, name, arg, param, value):
    if persona == "root":
        user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = getattr(world, persona)
    client.force_login(user)
    args = [getattr(world, arg).pk] if arg else []
    response = client.get(f"{reverse(name, args=args)}?{param}={quote(value)}")
    if "\x00" in value:
        # No string in PostgreSQL may hold a NUL: such an address is refused before any view reads it.
        assert response.status_code == 400, (param, response.status_code)
        assert "недопустимый символ" in response.content.decode()
        return
    # The admin answers a filter it cannot apply by sending the list back without it (302 to ?e=1).
    assert response.status_code in (200, 302), (param, value[:40], response.status_code)


@pytest.mark.parametrize(
    ("value", "shown"), [("²", 1), ("-3", 1), ("99999999999999999999999", MAX_PAGE), ("2", 2)]
)
def test_coordinator_list_reads_any_page_number_as_a_page_from_one(client, world, value, shown):
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:my-checkpoints"), {"group": "overdue", "page": value})
    assert response.status_code == 200
    assert response.context["page_number"] == shown


@pytest.mark.parametrize(("value", "shown"), [("99999999999999999999999", 2), ("-1", 2), ("²", 1), ("0", 2)])
def test_roadmap_list_page_out_of_range_shows_the_first_or_last_page(client, world, value, shown):
    for index in range(30):
        factories.RoadmapFactory(owner=world.region_org, title=f"Карта {index}")
    client.force_login(world.staff)
    response = client.get(reverse("roadmaps:roadmap-list"), {"page": value})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 2
    assert page.number == shown


def test_roadmap_list_says_which_filters_it_ignored(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("roadmaps:roadmap-list"), {"year": "две тысячи", "status": "в работе"})
    assert response.status_code == 200
    assert world.roadmap in response.context["roadmaps"]
    warning = [str(m) for m in response.context["messages"]]
    assert warning == ["Условия, заданные с ошибкой, не применены: Статус, Год."]


def test_dashboard_ignores_an_impossible_date_and_says_so(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("roadmaps:dashboard"), {"as_of": "31.02.2026"})
    assert response.status_code == 200
    assert "31.02.2026: в феврале 2026 года 28 дней." in response.content.decode()


def test_page_number_reads_only_plain_digits():
    rf = RequestFactory()
    assert [
        page_number(rf.get("/", {"page": value}))
        for value in ("3", "²", "٣", "", "0", "-1", "1e3", "9" * 5000, "100001")
    ] == [3, 1, 1, 1, 1, 1, 1, MAX_PAGE, MAX_PAGE]
