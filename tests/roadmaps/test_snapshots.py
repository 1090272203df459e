"""Outcome snapshots: counted as the live dashboards count, recounted only when stale, read by the scope
dashboard as of today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone

from organizations.scope import user_scope
from roadmaps import selectors, services, tasks
from roadmaps.models import Checkpoint, OutcomeSnapshot, Roadmap
from roadmaps.outcomes import OutcomeCounts
from roadmaps.selectors.outcomes import outcome_groups
from tests import factories

TODAY = datetime.date(2025, 5, 15)
TOMORROW = TODAY + datetime.timedelta(days=1)
D = datetime.date


@pytest.fixture(autouse=True)
def eager_tasks(monkeypatch):
    # As in tests/reports: with a broker configured, tasks still run in-process; wiring is what is tested.
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _every_outcome(activity) -> None:
    """As of TODAY: on time, late, on review, overdue (planned and returned), upcoming (one of them
    accepted only after the day), and a cancelled one that counts nowhere."""
    cp = factories.CheckpointFactory
    cp(activity=activity, status="done", planned_due=D(2025, 3, 31), actual_date=D(2025, 3, 20))
    cp(activity=activity, status="done", planned_due=D(2025, 2, 28), actual_date=D(2025, 3, 10))
    cp(activity=activity, status="reported", planned_due=D(2025, 4, 30), actual_date=D(2025, 4, 20))
    cp(activity=activity, planned_due=D(2025, 4, 30))
    cp(activity=activity, status="returned", planned_due=D(2025, 4, 15), actual_date=D(2025, 4, 1))
    cp(activity=activity, planned_due=D(2025, 9, 30))
    cp(activity=activity, status="done", planned_due=D(2025, 6, 30), actual_date=D(2025, 5, 20))
    cp(activity=activity, status="cancelled", planned_due=D(2025, 4, 30))


@dataclass
class Scene:
    shared: Roadmap
    unassigned: Roadmap
    cancelled_only: Roadmap
    empty: Roadmap


@pytest.fixture
def scene(world) -> Scene:
    """Beside the world: a roadmap two schools answer for together, one with an activity nobody answers
    for, one whose only checkpoint is cancelled, one without checkpoints, and a draft with some."""
    shared = factories.RoadmapFactory(owner=world.region_org, title="Б: общая дорожная карта")
    activity = factories.ActivityFactory(roadmap=shared)
    factories.ResponsibilityFactory(activity=activity, organization=world.school)
    factories.ResponsibilityFactory(activity=activity, organization=world.other_school)
    _every_outcome(activity)
    _every_outcome(factories.ActivityFactory(roadmap=shared))  # nobody answers for this one
    solo = factories.ActivityFactory(roadmap=shared)
    factories.ResponsibilityFactory(activity=solo, organization=world.region_org)
    factories.CheckpointFactory(activity=solo, planned_due=D(2025, 1, 31))
    unassigned = factories.RoadmapFactory(owner=world.region_org, title="В: без ответственных")
    _every_outcome(factories.ActivityFactory(roadmap=unassigned))
    cancelled_only = factories.RoadmapFactory(owner=world.region_org, title="Г: всё отменено")
    lonely = factories.ActivityFactory(roadmap=cancelled_only)
    factories.ResponsibilityFactory(activity=lonely, organization=world.other_school)
    factories.CheckpointFactory(activity=lonely, status="cancelled")
    empty = factories.RoadmapFactory(owner=world.region_org, title="Д: без контрольных точек")
    _every_outcome(factories.ActivityFactory(roadmap=world.draft))
    _every_outcome(factories.ActivityFactory(roadmap=world.foreign_roadmap))
    return Scene(shared=shared, unassigned=unassigned, cancelled_only=cancelled_only, empty=empty)


def _counts(snapshot: OutcomeSnapshot) -> tuple[int, ...]:
    return tuple(getattr(snapshot, field) for field in OutcomeSnapshot.COUNT_FIELDS)


def _live(group: OutcomeCounts | None) -> tuple[int, ...]:
    return tuple(getattr(group or OutcomeCounts(), field) for field in OutcomeSnapshot.COUNT_FIELDS)


def test_the_snapshot_fields_are_the_outcome_counts_fields():
    counted = set(OutcomeCounts.__dataclass_fields__) - {"label", "key"}
    assert set(OutcomeSnapshot.COUNT_FIELDS) == counted


def test_refresh_counts_what_the_live_count_counts_per_roadmap_and_organisation(world, scene):
    approved = set(Roadmap.objects.approved().values_list("pk", flat=True))
    assert services.outcome_snapshots_refresh(today=TODAY) == len(approved)
    checkpoints = Checkpoint.objects.all()
    by_roadmap = outcome_groups(checkpoints, TODAY, fields=("activity__roadmap_id",))
    org = "activity__responsibilities__organization_id"
    by_organization = outcome_groups(checkpoints, TODAY, fields=("activity__roadmap_id", org))
    totals = {s.roadmap_id: s for s in OutcomeSnapshot.objects.filter(kind=OutcomeSnapshot.Kind.ROADMAP)}
    assert set(totals) == approved  # an empty roadmap is counted too, as zeros
    for pk in approved:
        assert _counts(totals[pk]) == _live(by_roadmap.get((pk,))), pk
        assert totals[pk].as_of == TODAY
        assert totals[pk].data_version == Roadmap.objects.get(pk=pk).data_version
    rows = OutcomeSnapshot.objects.exclude(kind=OutcomeSnapshot.Kind.ROADMAP)
    snapshots = {(s.roadmap_id, s.organization_id): _counts(s) for s in rows}
    live = {key: _live(group) for key, group in by_organization.items() if key[0] in approved}
    assert snapshots == live
    assert (scene.shared.pk, None) in snapshots  # the activity nobody answers for
    shared = totals[scene.shared.pk]
    assert (shared.on_time, shared.late, shared.reported, shared.overdue, shared.upcoming) == (2, 2, 2, 5, 4)
    assert (shared.due, shared.due_done) == (11, 4)


def test_only_roadmaps_whose_data_changed_are_recounted(world):
    today = timezone.localdate()  # the report is made now: as of today it is on review
    assert services.outcome_snapshots_refresh(today=today) == 2  # the world's and the foreign roadmap
    assert services.outcome_snapshots_refresh(today=today) == 0
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=world.checkpoint, actual_date=D(2025, 3, 20), result="Проведено"
    )
    assert services.outcome_snapshots_refresh(today=today) == 1
    assert services.outcome_snapshots_refresh(today=today) == 0
    total = OutcomeSnapshot.objects.get(roadmap=world.roadmap, kind=OutcomeSnapshot.Kind.ROADMAP)
    assert (total.reported, total.overdue) == (1, 0)
    school = OutcomeSnapshot.objects.get(roadmap=world.roadmap, organization=world.school)
    assert school.reported == 1


def test_a_new_day_recounts_every_roadmap(world):
    assert services.outcome_snapshots_refresh(today=TODAY) == 2
    assert services.outcome_snapshots_refresh(today=TOMORROW) == 2
    assert set(OutcomeSnapshot.objects.values_list("as_of", flat=True)) == {TOMORROW}
    assert services.outcome_snapshots_refresh(today=TOMORROW) == 0


def test_refresh_limited_to_some_roadmaps_leaves_the_others_alone(world):
    assert services.outcome_snapshots_refresh(roadmap_ids=[world.roadmap.pk], today=TODAY) == 1
    assert set(OutcomeSnapshot.objects.values_list("roadmap_id", flat=True)) == {world.roadmap.pk}


def test_archived_and_draft_roadmaps_lose_their_snapshots(world, scene):
    services.outcome_snapshots_refresh(today=TODAY)
    assert not OutcomeSnapshot.objects.filter(roadmap=world.draft).exists()
    assert OutcomeSnapshot.objects.filter(roadmap=world.roadmap).exists()
    services.roadmap_archive(actor=world.staff, roadmap=world.roadmap, reason="План завершён")
    assert services.outcome_snapshots_refresh(today=TODAY) == 0
    assert not OutcomeSnapshot.objects.filter(roadmap=world.roadmap).exists()
    services.roadmap_unarchive(actor=world.staff, roadmap=world.roadmap, reason="Продлён срок")
    assert services.outcome_snapshots_refresh(today=TODAY) == 1
    # No service turns an approved roadmap back into a draft; should one ever be, its rows go too.
    Roadmap.objects.filter(pk=scene.shared.pk).update(status=Roadmap.Status.DRAFT)
    assert services.outcome_snapshots_refresh(today=TODAY) == 0
    assert not OutcomeSnapshot.objects.filter(roadmap__status=Roadmap.Status.DRAFT).exists()


def test_the_scope_dashboard_as_of_today_reads_the_snapshots_and_equals_the_live_count(world, scene):
    visible = Roadmap.objects.visible_in(user_scope(world.staff))
    services.outcome_snapshots_refresh(today=TODAY)
    snapshot = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TODAY)
    live = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TOMORROW)
    assert snapshot.totals == live.totals
    assert snapshot.by_group == live.by_group
    assert snapshot.by_organization == live.by_organization
    assert snapshot.indicators == live.indicators
    assert [g.label for g in snapshot.by_group] == [
        "Б: общая дорожная карта",
        "В: без ответственных",
        world.roadmap.title,
        "Г: всё отменено",
    ]
    assert "Ответственные не назначены" in [g.label for g in snapshot.by_organization]
    assert snapshot.totals.overdue == 5 + 2 + 1
    assert snapshot.computed_at is not None and snapshot.uncounted == 0
    assert live.computed_at is None


def test_the_scope_dashboard_leaves_out_roadmaps_archived_since_their_snapshot(world, scene):
    visible = Roadmap.objects.visible_in(user_scope(world.staff))
    services.outcome_snapshots_refresh(today=TODAY)
    services.roadmap_archive(actor=world.staff, roadmap=scene.shared, reason="План завершён")
    snapshot = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TODAY)
    assert scene.shared.title not in [g.label for g in snapshot.by_group]
    live = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TOMORROW)
    assert snapshot.totals == live.totals


def test_the_scope_dashboard_page_shows_when_its_data_were_counted(client, world):
    services.outcome_snapshots_refresh()
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:dashboard"))
    body = response.content.decode()
    computed_at = OutcomeSnapshot.objects.get(roadmap=world.roadmap, kind="roadmap").computed_at
    assert f"Данные на {timezone.localtime(computed_at):%d.%m.%Y %H:%M}" in body
    assert "ещё не подсчитан" not in body.lower()
    assert response.context["dashboard"].totals.overdue == 1


def test_the_page_names_the_roadmaps_not_counted_yet_instead_of_counting_them(client, world):
    second = factories.RoadmapFactory(owner=world.region_org, title="Новая дорожная карта")
    factories.CheckpointFactory(activity=factories.ActivityFactory(roadmap=second))
    client.force_login(world.analyst)
    body = client.get(reverse("roadmaps:dashboard")).content.decode()
    assert "Ещё не подсчитаны дорожные карты: 2 — данные обновляются каждые 5 минут." in body
    assert "Данные на " not in body
    services.outcome_snapshots_refresh(roadmap_ids=[world.roadmap.pk])
    response = client.get(reverse("roadmaps:dashboard"))
    assert "Ещё не подсчитаны дорожные карты: 1 — " in response.content.decode()
    dashboard = response.context["dashboard"]
    assert [g.label for g in dashboard.by_group] == [world.roadmap.title]
    assert dashboard.totals.total == 1


def test_a_past_date_is_still_counted_live(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:dashboard"), {"as_of": "15.05.2025"})
    dashboard = response.context["dashboard"]
    assert dashboard.as_of == TODAY and dashboard.computed_at is None
    assert dashboard.totals.overdue == 1 and "Данные на " not in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("live", [False, True], ids=["snapshots", "live"])
def test_the_scope_dashboard_runs_six_queries_for_any_number_of_roadmaps(
    world, django_assert_num_queries, size, live
):
    for n in range(size):
        roadmap = factories.RoadmapFactory(owner=world.region_org, title=f"Дорожная карта {n:02d}")
        activity = factories.ActivityFactory(roadmap=roadmap)
        factories.ResponsibilityFactory(activity=activity, organization=factories.OrganizationFactory())
        factories.CheckpointFactory(activity=activity)
        factories.CheckpointFactory(activity=activity, planned_due=D(2025, 9, 30))
    indicator = factories.IndicatorFactory(roadmap=world.roadmap)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=60)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.school, value=40)
    services.outcome_snapshots_refresh(today=TODAY)
    visible = Roadmap.objects.visible_in(user_scope(world.staff))
    # 1 the roadmaps in scope. Snapshots: 2 their total rows (totals, freshness, uncounted); 3 by roadmap
    # with titles; 4 by organisation with names. Live: 2 totals; 3 by roadmap; 4 by organisation.
    # Both: 5 indicators; 6 their targets; 7 actual values.
    with django_assert_num_queries(7):
        dashboard = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TOMORROW if live else TODAY)
    assert dashboard.totals.total == size * 2 + 1
    assert len(dashboard.by_group) == min(size + 1, 30)  # the top 30
    assert dashboard.indicators[0]["points"][0]["actual"] == 40
    if not live:
        # Until a refresh rewrites a total row, the groups summed from the snapshots are read from the cache.
        with django_assert_num_queries(5):
            again = selectors.scope_dashboard(visible=visible, as_of=TODAY, today=TODAY)
        assert again == dashboard


def test_the_scope_dashboard_sums_its_groups_again_once_a_refresh_rewrote_a_roadmap(world, scene):
    # As of the real today: a cancellation made now changes today's counts (not those of TODAY, past).
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    visible = Roadmap.objects.visible_in(user_scope(world.staff))
    services.outcome_snapshots_refresh(today=today)
    before = selectors.scope_dashboard(visible=visible, as_of=today, today=today)
    checkpoint = Checkpoint.objects.filter(activity__roadmap=scene.shared, status="planned").first()
    services.checkpoint_cancel(actor=world.staff, checkpoint=checkpoint, reason="Мероприятие не проводится")
    services.outcome_snapshots_refresh(today=today)
    after = selectors.scope_dashboard(visible=visible, as_of=today, today=today)
    live = selectors.scope_dashboard(visible=visible, as_of=today, today=tomorrow)
    assert after.by_group == live.by_group and after.by_organization == live.by_organization
    assert after.totals.overdue == before.totals.overdue - 1
    assert after.by_group != before.by_group


@pytest.mark.parametrize("size", [3, 30])
def test_refresh_runs_the_same_queries_for_any_number_of_roadmaps_in_a_batch(
    world, django_assert_num_queries, size
):
    for _n in range(size):
        activity = factories.ActivityFactory(roadmap=factories.RoadmapFactory(owner=world.region_org))
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        factories.CheckpointFactory(activity=activity)
    # 1 delete the rows of roadmaps no longer approved; 2 the stale roadmaps; per batch: 3 their data
    # versions; 4 totals; 5 by organisation; 6 savepoint; 7 lock the roadmaps; 8 delete their rows;
    # 9 insert the new ones; 10 release the savepoint.
    with django_assert_num_queries(10):
        assert services.outcome_snapshots_refresh(today=TODAY) == size + 2


def test_the_refresh_task_is_wired_and_runs_every_five_minutes(world):
    from config.celery import app

    assert tasks.refresh_outcome_snapshots.delay().get() == 2
    assert OutcomeSnapshot.objects.filter(roadmap=world.roadmap, kind="roadmap").exists()
    assert tasks.refresh_outcome_snapshots.delay(roadmap_ids=[world.roadmap.pk]).get() == 0
    entry = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == tasks.refresh_outcome_snapshots.name
    )
    assert entry["schedule"] == crontab(minute="*/5")
