"""«Поиск»: roadmaps, activities and checkpoints found by words in titles, results, organisations and
comments, only within what the user may see; Russian stemming on PostgreSQL, words as typed on SQLite."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from roadmaps.models import Comment, Roadmap
from roadmaps.outcomes import REPORTED
from tests import factories

URL = reverse("roadmaps:search")


def _search(client, user, q: str, **params):
    client.force_login(user)
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def _found(response) -> dict[str, dict[int, list[str]]]:
    results = response.context["results"]
    return {group.code: {row.pk: row.reasons for row in group.items} for group in results.groups}


def test_staff_find_an_activity_by_a_word_of_its_title_and_see_where_it_matched(client, world):
    activity = world.checkpoint.activity
    found = _found(_search(client, world.staff, "семинар"))
    assert found["activities"] == {activity.pk: ["в названии"]}
    assert found["roadmaps"] == {}


def test_a_checkpoint_is_found_by_its_reported_result_and_by_its_thread(client, world):
    checkpoint = world.checkpoint
    checkpoint.status, checkpoint.result = REPORTED, "Проведён семинар для педагогов, 40 участников"
    checkpoint.save()
    other = factories.CheckpointFactory(activity=checkpoint.activity, period_label="II кв. 2025")
    Comment.objects.create(
        checkpoint=other, author=world.coordinator, text="Протокол педагогов приложим позже"
    )
    found = _found(_search(client, world.coordinator, "педагогов"))
    assert found["checkpoints"] == {checkpoint.pk: ["в результатах"], other.pk: ["в комментариях"]}


def test_an_activity_is_found_by_its_responsible_organisation_and_a_roadmap_by_its_owner(client, world):
    found = _found(_search(client, world.staff, "школа"))
    assert found["activities"] == {world.checkpoint.activity_id: ["в организации"]}
    found = _found(_search(client, world.staff, "департамент"))
    assert set(found["roadmaps"]) == {world.roadmap.pk, world.draft.pk}
    assert found["roadmaps"][world.roadmap.pk] == ["в организации"]


def test_nothing_outside_the_scope_is_found(client, world):
    factories.ActivityFactory(roadmap=world.foreign_roadmap, title="Провести семинар на Сахалине")
    found = _found(_search(client, world.staff, "семинар"))
    assert set(found["activities"]) == {world.checkpoint.activity_id}
    found = _found(_search(client, world.outsider, "семинар"))
    assert world.checkpoint.activity_id not in found["activities"]
    # A coordinator does not see the department's drafts, nor finds them.
    factories.ActivityFactory(roadmap=world.draft, title="Семинар в черновике")
    found = _found(_search(client, world.coordinator, "черновике"))
    assert found["activities"] == {} and found["roadmaps"] == {}


def test_an_activitys_staff_thread_is_searched_for_staff_only(client, world):
    activity = world.checkpoint.activity
    Comment.objects.create(activity=activity, author=world.staff, text="Согласовать смету с бухгалтерией")
    assert _found(_search(client, world.staff, "бухгалтерией"))["activities"] == {
        activity.pk: ["в комментариях"]
    }
    assert _found(_search(client, world.coordinator, "бухгалтерией"))["activities"] == {}
    assert _found(_search(client, world.analyst, "бухгалтерией"))["activities"] == {}


@pytest.mark.parametrize("q", ["", "  ", "а", "7"])
def test_an_empty_or_one_letter_query_answers_a_hint_and_runs_no_search(
    client, world, django_assert_num_queries, q
):
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 projects and 5 regions for the filter selects.
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "не короче двух букв" in response.content.decode()
    assert response.context["results"].groups == []


def test_the_roadmap_lists_filters_narrow_every_group(client, world):
    factories.ActivityFactory(roadmap=world.draft, title="Семинар для черновика")
    found = _found(_search(client, world.staff, "семинар", status=Roadmap.Status.DRAFT))
    assert set(found["activities"]) == {world.draft.activities.get().pk}
    found = _found(_search(client, world.staff, "семинар", status=Roadmap.Status.APPROVED))
    assert set(found["activities"]) == {world.checkpoint.activity_id}


def test_one_group_is_paged_and_the_overview_shows_its_first_rows(client, world):
    for n in range(30):
        factories.ActivityFactory(roadmap=world.roadmap, number=f"2.{n + 1}.", title=f"Семинар номер {n + 1}")
    overview = _search(client, world.staff, "семинар").context["results"]
    activities = next(g for g in overview.groups if g.code == "activities")
    assert activities.count == 31 and len(activities.items) == 10 and activities.has_more
    page = _search(client, world.staff, "семинар", group="activities", page=2).context["results"]
    assert [g.code for g in page.groups] == ["activities"]
    assert page.groups[0].page.number == 2 and len(page.groups[0].items) == 6
    assert "Показать все (31)" in _search(client, world.staff, "семинар").content.decode()


def _many(world, count: int) -> None:
    for n in range(count):
        roadmap = factories.RoadmapFactory(owner=world.region_org, title=f"План семинаров {n}", edition=False)
        activity = factories.ActivityFactory(roadmap=roadmap, title=f"Семинар {n}")
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        checkpoint = factories.CheckpointFactory(activity=activity, result=f"Семинар проведён {n}")
        Comment.objects.create(checkpoint=checkpoint, author=world.staff, text="Семинар: уточните дату")


@pytest.mark.parametrize("count", [2, 25])
def test_the_search_page_costs_the_same_queries_for_small_and_large_data(
    client, world, django_assert_num_queries, count
):
    _many(world, count)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); for roadmaps, activities and checkpoints each: 4/6/8 the
    # matching ids (up to CAP + 1) and 5/7/9 the first rows with their roadmap and reasons; 10 projects and
    # 11 regions for the filter selects.
    with django_assert_num_queries(11):
        response = client.get(URL, {"q": "семинар"})
    assert response.status_code == 200
    # One group's page: 1–3 as above; 4 the matching ids; 5 the page; 6–7 the filter selects.
    with django_assert_num_queries(7):
        client.get(URL, {"q": "семинар", "group": "checkpoints", "page": "2"})


def test_a_common_word_shows_the_best_rows_up_to_the_cap_and_says_there_are_more(client, world, monkeypatch):
    monkeypatch.setattr("roadmaps.selectors.search.CAP", 12)
    for n in range(15):
        factories.ActivityFactory(roadmap=world.roadmap, number=f"4.{n + 1}.", title=f"Семинар {n + 1}")
    response = _search(client, world.staff, "семинар")
    activities = next(g for g in response.context["results"].groups if g.code == "activities")
    assert (activities.count, activities.more_than_cap, len(activities.items)) == (12, True, 10)
    assert "более 12" in response.content.decode()
    last = _search(client, world.staff, "семинар", group="activities", page="1").context["results"].groups[0]
    assert len(last.items) == 12


def test_the_navigation_has_the_search_box(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:roadmap-list")).content.decode()
    assert f'action="{URL}"' in page and 'name="q"' in page


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Russian stemming is PostgreSQL full-text search"
)
def test_russian_stemming_finds_other_forms_of_a_word(client, world):
    activity = factories.ActivityFactory(
        roadmap=world.roadmap,
        title="Методическая консультация для учителей",
        planned_result="Консультирование проведено",
    )
    checkpoint = factories.CheckpointFactory(
        activity=activity, planned_due=datetime.date(2025, 6, 30), result="Провели консультации в трёх школах"
    )
    found = _found(_search(client, world.staff, "консультации"))
    assert found["activities"] == {activity.pk: ["в названии"]}
    assert found["checkpoints"] == {checkpoint.pk: ["в результатах"]}
    found = _found(_search(client, world.staff, "Учитель"))
    assert set(found["activities"]) == {activity.pk}
