"""Screen selectors load in a fixed number of queries, whatever the size of the roadmap."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import Membership
from organizations.scope import user_scope
from roadmaps import selectors
from roadmaps.models import Activity, Checkpoint, Responsibility, Roadmap, Section
from roadmaps.numbering import number_sort_key
from tests import factories

TODAY = datetime.date(2025, 5, 15)


def _bulk_roadmap(*, owner, school, activities: int, checkpoints_per_activity: int = 4) -> Roadmap:
    roadmap = factories.RoadmapFactory(owner=owner)
    sections = Section.objects.bulk_create(
        Section(roadmap=roadmap, number=f"{n}.", title=f"Раздел {n}", position=n) for n in range(1, 6)
    )
    rows = Activity.objects.bulk_create(
        Activity(
            roadmap=roadmap,
            section=sections[n % len(sections)],
            number=f"{n % 5 + 1}.{n}.",
            sort_key=number_sort_key(f"{n % 5 + 1}.{n}."),
            title=f"Мероприятие {n}",
            deadline_text="ежеквартально",
            schedule_problems=["Год не указан"] if n % 7 == 0 else [],
        )
        for n in range(activities)
    )
    Responsibility.objects.bulk_create(Responsibility(activity=a, organization=school) for a in rows)
    statuses = ["planned", "reported", "done", "returned"]
    Checkpoint.objects.bulk_create(
        Checkpoint(
            activity=a,
            sequence=k,
            planned_start=datetime.date(2025, 1 + 3 * (k % 4), 1),
            planned_due=datetime.date(2025, 3 + 3 * (k % 4), 28),
            period_label=f"{k + 1} кв.",
            status=statuses[k % 4],
            actual_date=datetime.date(2025, 3, 1) if statuses[k % 4] in ("reported", "done") else None,
        )
        for a in rows
        for k in range(checkpoints_per_activity)
    )
    return roadmap


@pytest.mark.parametrize("size", [10, 500])
def test_roadmap_page_loads_in_five_queries_for_any_size(world, django_assert_num_queries, size):
    roadmap = _bulk_roadmap(owner=world.region_org, school=world.school, activities=size)
    # 1 sections; 2 activities; 3 their responsible organisations' names;
    # 4 checkpoint counts by status grouped by activity; 5 revisions with acts.
    with django_assert_num_queries(5):
        page = selectors.roadmap_get_page(roadmap=roadmap, today=TODAY)
    assert page.activity_count == size
    assert page.totals["total"] == size * 4
    assert sum(len(block.activities) for block in page.blocks) == size


@pytest.mark.parametrize("size", [10, 500])
def test_roadmap_page_view_runs_the_same_queries_for_10_and_500_activities(
    client, world, django_assert_num_queries, size
):
    roadmap = _bulk_roadmap(owner=world.region_org, school=world.school, activities=size)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 roadmap with owner, project, act (access helper);
    # 5 sections; 6 activities; 7 responsible organisations' names; 8 checkpoint counts by activity;
    # 9 revisions; 10 organisations that may be made responsible (staff only).
    with django_assert_num_queries(10):
        response = client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('name="activities"') == size


def test_roadmap_page_names_the_first_five_organisations_and_counts_the_rest(client, world):
    roadmap = _bulk_roadmap(owner=world.region_org, school=world.school, activities=1)
    activity = roadmap.activities.get()
    for n in range(1, 7):
        school = factories.OrganizationFactory(
            parent=world.region_org, region=world.region_org.region, short_name=f"Школа №{n:02}"
        )
        Responsibility.objects.create(activity=activity, organization=school, position=n)
    client.force_login(world.staff)
    page = client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode()
    row = page[page.index(f'id="activity-{activity.pk}"') :]
    row = row[: row.index("</tr>")]
    assert world.school.short_name in row  # position 0 comes first
    assert [f"Школа №{n:02}" in row for n in range(1, 7)] == [True, True, True, True, False, False]
    assert "и ещё 2 организации" in row
    assert f'{activity.pk}/#responsible">и ещё' in row


@pytest.mark.parametrize("size", [10, 500])
def test_my_checkpoints_page_runs_the_same_queries_for_any_size(
    client, world, django_assert_num_queries, size
):
    _bulk_roadmap(owner=world.region_org, school=world.school, activities=size // 4 + 1)
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=80)
    client.force_login(world.coordinator)
    # 1 session; 2 user; 3 memberships; 4 each group's page and size, ranked in one pass; 5 those rows;
    # 6 evidence; 7 responsible organisations in scope; 8 indicators; 9 targets; 10 values;
    # 11 responsibilities.
    with django_assert_num_queries(11):
        response = client.get(reverse("roadmaps:my-checkpoints"))
    assert response.status_code == 200
    assert indicator.name in response.content.decode()


@pytest.mark.parametrize("indicators", [2, 12])
def test_a_regional_coordinators_page_costs_the_same_queries_for_2_and_12_indicators(
    client, world, django_assert_num_queries, indicators
):
    """A regional body answers through many schools: each indicator's form offers several organisations."""
    user = factories.UserFactory(username="regional")
    Membership.objects.create(user=user, organization=world.region_org, role=Membership.Role.COORDINATOR)
    for n in range(indicators):
        activity = factories.ActivityFactory(roadmap=world.roadmap, number=f"5.{n + 1}.")
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        factories.ResponsibilityFactory(activity=activity, organization=world.other_school, position=1)
        factories.CheckpointFactory(activity=activity)
        factories.IndicatorFactory(roadmap=world.roadmap, activity=activity, name=f"Доля № {n}")
    client.force_login(user)
    # 1 session; 2 user; 3 memberships; 4 each group's page and size, ranked in one pass (only the
    # overdue group has rows: as many queries as a school with all four); 5 those rows; 6 evidence;
    # 7 responsible organisations in scope; 8 indicators; 9 targets; 10 values; 11 responsibilities in
    # scope — none per indicator form.
    with django_assert_num_queries(11):
        response = client.get(reverse("roadmaps:my-checkpoints"))
    body = response.content.decode()
    assert body.count("Доля № ") == indicators
    assert body.count(f">{world.other_school.short_name}</option>") == indicators


def test_my_checkpoints_groups_overdue_month_later_and_done(world):
    activity = world.checkpoint.activity
    make = factories.CheckpointFactory
    make(activity=activity, planned_start=None, planned_due=datetime.date(2025, 5, 31), period_label="май")
    make(
        activity=activity, planned_start=None, planned_due=datetime.date(2025, 9, 30), period_label="III кв."
    )
    make(activity=activity, planned_start=None, planned_due=None, period_label="по мере необходимости")
    make(
        activity=activity,
        planned_start=None,
        planned_due=datetime.date(2025, 2, 1),
        status="reported",
        actual_date=datetime.date(2025, 1, 30),
    )
    groups = {
        g.code: [c.period_label for c in g.items]
        for g in selectors.my_checkpoints(scope=user_scope(world.coordinator), today=TODAY)
    }
    assert groups["overdue"] == ["I кв. 2025"]
    assert groups["month"] == ["май"]
    assert groups["later"] == ["III кв.", "по мере необходимости"]
    assert len(groups["done"]) == 1


def test_my_checkpoints_page_each_group_in_its_own_order_and_count_it_whole(world):
    activity = world.checkpoint.activity
    make = factories.CheckpointFactory
    for day in (9, 3, 6):
        make(activity=activity, planned_due=datetime.date(2025, 3, day))
    reported_at = [timezone.make_aware(datetime.datetime(2025, 4, day, 10)) for day in (1, 20, 10)]
    done = [
        make(
            activity=activity, status="reported", planned_due=datetime.date(2025, 3, 1), actual_date=at.date()
        )
        for at in reported_at
    ]
    for checkpoint, at in zip(done, reported_at, strict=True):
        Checkpoint.objects.filter(pk=checkpoint.pk).update(reported_at=at)
    scope = user_scope(world.coordinator)
    first = {g.code: g for g in selectors.my_checkpoints(scope=scope, today=TODAY, limit=2)}
    every_overdue = Checkpoint.objects.reportable_in(scope).filter(status="planned", planned_due__lt=TODAY)
    assert first["overdue"].count == every_overdue.count() >= 3
    assert [c.planned_due for c in first["overdue"].items] == sorted(
        every_overdue.values_list("planned_due", flat=True)
    )[:2]
    assert [c.pk for c in first["done"].items] == [done[1].pk, done[2].pk]  # newest report first
    assert first["done"].count == 3
    (past_end,) = selectors.my_checkpoints(scope=scope, today=TODAY, limit=2, only="done", offset=4)
    assert past_end.items == [] and past_end.count == 3
    (second,) = selectors.my_checkpoints(scope=scope, today=TODAY, limit=2, only="done", offset=2)
    assert [c.pk for c in second.items] == [done[0].pk] and second.count == 3


def test_my_checkpoints_leave_out_drafts_and_other_schools(world):
    draft_activity = factories.ActivityFactory(roadmap=world.draft)
    factories.ResponsibilityFactory(activity=draft_activity, organization=world.school)
    factories.CheckpointFactory(activity=draft_activity)
    other = factories.ActivityFactory(roadmap=world.roadmap)
    factories.ResponsibilityFactory(activity=other, organization=world.other_school)
    factories.CheckpointFactory(activity=other)
    groups = selectors.my_checkpoints(scope=user_scope(world.coordinator), today=TODAY)
    assert [c.pk for g in groups for c in g.items] == [world.checkpoint.pk]


def test_municipal_coordinator_sees_the_checkpoints_of_schools_below(world):
    user = factories.UserFactory(username="municipal")
    Membership.objects.create(user=user, organization=world.region_org, role=Membership.Role.COORDINATOR)
    groups = selectors.my_checkpoints(scope=user_scope(user), today=TODAY)
    assert world.checkpoint in [c for g in groups for c in g.items]


@pytest.mark.parametrize("size", [10, 200])
def test_roadmap_dashboard_runs_six_queries(world, django_assert_num_queries, size):
    roadmap = _bulk_roadmap(owner=world.region_org, school=world.school, activities=size)
    indicator = factories.IndicatorFactory(roadmap=roadmap)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=60)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.school, value=40)
    # 1 totals; 2 by section; 3 by organisation; 4 indicators; 5 targets; 6 actual values by year.
    with django_assert_num_queries(6):
        dashboard = selectors.roadmap_dashboard(roadmap=roadmap, as_of=TODAY)
    assert dashboard.totals.total == size * 4
    assert dashboard.indicators[0]["points"][0]["actual"] == 40


def test_dashboard_separates_on_time_late_and_overdue(world):
    activity = world.checkpoint.activity  # its checkpoint is due 31.03.2025 and open: overdue
    factories.CheckpointFactory(
        activity=activity,
        status="done",
        planned_due=datetime.date(2025, 3, 31),
        actual_date=datetime.date(2025, 3, 1),
    )
    factories.CheckpointFactory(
        activity=activity,
        status="done",
        planned_due=datetime.date(2025, 3, 31),
        actual_date=datetime.date(2025, 4, 9),
    )
    totals = selectors.roadmap_dashboard(roadmap=world.roadmap, as_of=TODAY).totals
    counts = {code: totals[code] for code, _label in selectors.OUTCOMES}
    assert counts == {"on_time": 1, "late": 1, "reported": 0, "overdue": 1, "upcoming": 0}
    rows = selectors.roadmap_dashboard(roadmap=world.roadmap, as_of=TODAY).by_organization
    assert rows[0]["label"] == world.school.short_name


def test_review_lists_only_activities_of_editable_roadmaps(world):
    factories.ActivityFactory(roadmap=world.roadmap, schedule_kind="unparsed", number="9.")
    factories.ActivityFactory(roadmap=world.foreign_roadmap, schedule_kind="unparsed", number="9.")
    found = list(selectors.review_activities(scope=user_scope(world.staff)))
    assert [a.roadmap_id for a in found] == [world.roadmap.pk]
