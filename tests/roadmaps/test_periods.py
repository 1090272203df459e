"""Closed reporting periods: staff close a quarter, a month or dates, and reopen the period or single
checkpoints in it; the lock itself is proved through the coordinator's and the staff's real views."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from roadmaps import reporting_periods, services
from roadmaps.models import Checkpoint, CheckpointReopening, CheckpointTransition, ClosedPeriod
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
Q1_CLOSED = "Отчётный период «I квартал 2025 г.» закрыт"


def _close_q1(client, world, **target) -> ClosedPeriod:
    """Staff close I квартал 2025 through the form: for the roadmap, or (organization=…) for a whole scope."""
    client.force_login(world.staff)
    data = {"kind": "quarter", "year": "2025", "quarter": "1"}
    if "organization" in target:
        url = reverse("roadmaps:period-scope-close")
        data["organization"] = target["organization"].pk
    else:
        url = reverse("roadmaps:period-close", args=[world.roadmap.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    return ClosedPeriod.objects.latest("pk")


def _report(client, world, checkpoint: Checkpoint, coordinator=None):
    client.force_login(coordinator or world.coordinator)
    return client.post(
        reverse("roadmaps:checkpoint-report", args=[checkpoint.pk]),
        {"actual_date": "20.03.2025", "result": "Семинар проведён"},
    )


def _tick(client, world, period: ClosedPeriod, checkpoints: list[Checkpoint], action: str, reason: str = ""):
    client.force_login(world.staff)
    return client.post(
        reverse("roadmaps:period-checkpoints", args=[period.pk]),
        {"checkpoints": [c.pk for c in checkpoints], "action": action, "reason": reason},
    )


@pytest.fixture
def neighbour(world) -> Checkpoint:
    """A second checkpoint of the same activity, due in the same quarter."""
    return factories.CheckpointFactory(
        activity=world.checkpoint.activity, sequence=1, planned_due=datetime.date(2025, 2, 28)
    )


@pytest.fixture
def later(world) -> Checkpoint:
    """A checkpoint of the same activity due in the next quarter."""
    return factories.CheckpointFactory(
        activity=world.checkpoint.activity, sequence=2, planned_due=datetime.date(2025, 6, 30)
    )


# --- Building the common periods ----------------------------------------------------------------------


def test_a_quarter_runs_from_its_first_to_its_last_day_and_is_named_in_russian():
    assert reporting_periods.quarter(2025, 1) == reporting_periods.Span(
        datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "I квартал 2025 г."
    )
    assert reporting_periods.quarter(2025, 4).last_day == datetime.date(2025, 12, 31)
    assert reporting_periods.quarter(2025, 4).label == "IV квартал 2025 г."


def test_a_month_ends_on_its_last_day_leap_years_included():
    assert reporting_periods.month(2025, 3) == reporting_periods.Span(
        datetime.date(2025, 3, 1), datetime.date(2025, 3, 31), "март 2025 г."
    )
    assert reporting_periods.month(2024, 2).last_day == datetime.date(2024, 2, 29)


def test_explicit_dates_are_labelled_by_their_days():
    span = reporting_periods.dates(datetime.date(2025, 1, 10), datetime.date(2025, 2, 15))
    assert span.label == "10.01.2025–15.02.2025"


def test_the_period_usually_closed_is_the_last_quarter_that_has_ended():
    assert reporting_periods.previous_quarter(datetime.date(2025, 5, 12)) == (2025, 1)
    assert reporting_periods.previous_quarter(datetime.date(2025, 1, 12)) == (2024, 4)


# --- Closing ----------------------------------------------------------------------------------------


def test_staff_close_a_quarter_of_a_roadmap_and_history_records_who(client, world):
    period = _close_q1(client, world)
    assert (period.roadmap, period.organization) == (world.roadmap, None)
    assert (period.first_day, period.last_day) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert (period.label, period.closed_by, period.is_closed) == ("I квартал 2025 г.", world.staff, True)
    assert period.history.get().history_user == world.staff
    body = client.get(reverse("roadmaps:period-list", args=[world.roadmap.pk])).content.decode()
    assert "I квартал 2025 г." in body
    assert "01.01.2025–31.03.2025" in body


def test_staff_close_a_month_or_explicit_dates_typed_as_dd_mm_yyyy(client, world):
    client.force_login(world.staff)
    url = reverse("roadmaps:period-close", args=[world.roadmap.pk])
    client.post(url, {"kind": "month", "year": "2025", "month": "4"})
    client.post(url, {"kind": "dates", "first_day": "01.05.2025", "last_day": "15.05.2025", "label": "Май"})
    assert list(ClosedPeriod.objects.order_by("pk").values_list("label", "first_day", "last_day")) == [
        ("апрель 2025 г.", datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)),
        ("Май", datetime.date(2025, 5, 1), datetime.date(2025, 5, 15)),
    ]


def test_a_period_that_ends_before_it_starts_is_refused(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("roadmaps:period-close", args=[world.roadmap.pk]),
        {"kind": "dates", "first_day": "31.03.2025", "last_day": "01.03.2025"},
    )
    assert response.status_code == 200
    assert "Окончание периода раньше его начала." in response.content.decode()
    assert not ClosedPeriod.objects.exists()


def test_a_period_overlapping_one_already_closed_for_the_same_roadmap_is_refused(client, world):
    _close_q1(client, world)
    response = client.post(
        reverse("roadmaps:period-close", args=[world.roadmap.pk]),
        {"kind": "month", "year": "2025", "month": "3"},
    )
    assert response.status_code == 200
    assert "Период пересекается с уже закрытым периодом «I квартал 2025 г.»" in response.content.decode()
    assert ClosedPeriod.objects.count() == 1


def test_the_same_days_may_be_closed_again_once_the_period_was_reopened(world):
    period = services.period_close(actor=world.staff, roadmap=world.roadmap, **_q1())
    services.period_reopen(actor=world.staff, period=period, reason="Исправление отчётов")
    services.period_close(actor=world.staff, roadmap=world.roadmap, **_q1())
    assert ClosedPeriod.objects.filter(reopened_at__isnull=True).count() == 1


def _q1() -> dict:
    span = reporting_periods.quarter(2025, 1)
    return {"first_day": span.first_day, "last_day": span.last_day, "label": span.label}


def test_the_close_service_wants_exactly_one_target_and_staff_of_it(world):
    with pytest.raises(ValidationError):
        services.period_close(actor=world.staff, **_q1())
    with pytest.raises(ValidationError):
        services.period_close(
            actor=world.staff, roadmap=world.roadmap, organization=world.region_org, **_q1()
        )
    with pytest.raises(PermissionDenied):
        services.period_close(actor=world.coordinator, roadmap=world.roadmap, **_q1())
    with pytest.raises(PermissionDenied):
        services.period_close(actor=world.outsider, organization=world.region_org, **_q1())
    assert not ClosedPeriod.objects.exists()


def test_a_coordinator_cannot_close_a_period_and_an_outsider_does_not_see_the_roadmap(client, world):
    data = {"kind": "quarter", "year": "2025", "quarter": "1"}
    close_url = reverse("roadmaps:period-close", args=[world.roadmap.pk])
    client.force_login(world.coordinator)
    assert client.get(close_url).status_code == 403
    assert client.post(close_url, data).status_code == 403
    assert client.post(reverse("roadmaps:period-scope-close"), data).status_code == 403
    client.force_login(world.outsider)
    assert client.post(close_url, data).status_code == 404
    assert not ClosedPeriod.objects.exists()


# --- The lock, through the real views ---------------------------------------------------------------


def test_a_coordinator_cannot_report_a_checkpoint_due_in_a_closed_quarter(client, world):
    _close_q1(client, world)
    transitions = CheckpointTransition.objects.count()
    response = _report(client, world, world.checkpoint)
    assert response.status_code == 200
    assert Q1_CLOSED in response.content.decode()
    world.checkpoint.refresh_from_db()
    assert (world.checkpoint.status, world.checkpoint.result) == ("planned", "")
    assert CheckpointTransition.objects.count() == transitions


def test_staff_cannot_accept_or_return_a_report_due_in_a_closed_quarter(client, world):
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Да",
    )
    _close_q1(client, world)
    transitions = CheckpointTransition.objects.count()
    accepted = client.post(reverse("roadmaps:checkpoint-accept", args=[world.checkpoint.pk]), **HTMX)
    returned = client.post(
        reverse("roadmaps:checkpoint-return", args=[world.checkpoint.pk]), {"reason": "Нет протокола"}, **HTMX
    )
    assert Q1_CLOSED in accepted.content.decode()
    assert Q1_CLOSED in returned.content.decode()
    world.checkpoint.refresh_from_db()
    assert (world.checkpoint.status, world.checkpoint.verified_by, world.checkpoint.return_reason) == (
        "reported",
        None,
        "",
    )
    assert CheckpointTransition.objects.count() == transitions


def test_a_period_closed_for_the_region_locks_the_roadmaps_it_owns_and_none_of_another_region(client, world):
    _close_q1(client, world, organization=world.region_org)
    assert Q1_CLOSED in _report(client, world, world.checkpoint).content.decode()
    foreign_activity = factories.ActivityFactory(roadmap=world.foreign_roadmap)
    factories.ResponsibilityFactory(activity=foreign_activity, organization=world.foreign_org)
    foreign = factories.CheckpointFactory(activity=foreign_activity)
    assert _report(client, world, foreign, coordinator=world.outsider_coordinator).status_code == 302
    foreign.refresh_from_db()
    assert foreign.status == "reported"
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == "planned"


def test_a_checkpoint_due_outside_the_closed_period_is_unaffected(client, world, later):
    _close_q1(client, world)
    assert _report(client, world, later).status_code == 302
    later.refresh_from_db()
    assert later.status == "reported"


# --- Reopening --------------------------------------------------------------------------------------


def test_reopening_one_checkpoint_lets_its_report_through_while_its_neighbour_stays_locked(
    client, world, neighbour
):
    period = _close_q1(client, world)
    assert _tick(client, world, period, [world.checkpoint], "reopen", "Ошибка в дате").status_code == 302
    assert _report(client, world, world.checkpoint).status_code == 302
    assert Q1_CLOSED in _report(client, world, neighbour).content.decode()
    world.checkpoint.refresh_from_db()
    neighbour.refresh_from_db()
    assert (world.checkpoint.status, neighbour.status) == ("reported", "planned")
    record = CheckpointReopening.history.get()
    assert (record.history_user, record.history_change_reason, record.reason) == (
        world.staff,
        "Ошибка в дате",
        "Ошибка в дате",
    )


def test_reopening_needs_a_reason_and_writes_nothing_without_one(client, world):
    period = _close_q1(client, world)
    response = _tick(client, world, period, [world.checkpoint], "reopen")
    assert response.status_code == 200
    assert "Укажите, почему контрольные точки открываются." in response.content.decode()
    assert not CheckpointReopening.objects.exists()


def test_reopening_in_bulk_skips_checkpoints_the_period_does_not_cover_and_repeats_harmlessly(
    world, neighbour, later
):
    period = services.period_close(actor=world.staff, roadmap=world.roadmap, **_q1())
    everything = {"actor": world.staff, "period": period, "checkpoints": [world.checkpoint, neighbour, later]}
    assert services.checkpoints_reopen(**everything, reason="Ошибка в дате") == 2
    assert services.checkpoints_reopen(**everything, reason="Ошибка в дате") == 0
    reopened = set(period.reopenings.values_list("checkpoint_id", flat=True))
    assert reopened == {world.checkpoint.pk, neighbour.pk}


def test_a_checkpoint_of_another_period_cannot_be_ticked_on_this_ones_page(client, world, later):
    period = _close_q1(client, world)
    response = _tick(client, world, period, [later], "reopen", "Попытка")
    assert response.status_code == 200
    assert not CheckpointReopening.objects.exists()


def test_relocking_a_reopened_checkpoint_locks_it_again_with_the_actor_in_history(client, world):
    period = _close_q1(client, world)
    _tick(client, world, period, [world.checkpoint], "reopen", "Ошибка в дате")
    assert _tick(client, world, period, [world.checkpoint], "relock", "Исправлено").status_code == 302
    assert not CheckpointReopening.objects.exists()
    assert Q1_CLOSED in _report(client, world, world.checkpoint).content.decode()
    deleted = CheckpointReopening.history.filter(history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (world.staff, "Исправлено")


def test_reopening_the_whole_period_lets_everything_through_and_keeps_the_reason(client, world, neighbour):
    period = _close_q1(client, world)
    url = reverse("roadmaps:period-reopen", args=[period.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert client.post(url, {"reason": "Сдвиг сроков отчётности"}).status_code == 302
    period.refresh_from_db()
    assert (period.is_closed, period.reopened_by, period.reopen_reason) == (
        False,
        world.staff,
        "Сдвиг сроков отчётности",
    )
    latest = period.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.staff, "Сдвиг сроков отчётности")
    assert _report(client, world, world.checkpoint).status_code == 302
    assert _report(client, world, neighbour).status_code == 302
    assert Checkpoint.objects.filter(status="reported").count() == 2


def test_a_reopened_period_cannot_be_reopened_again_nor_its_checkpoints_ticked(client, world):
    period = _close_q1(client, world)
    services.period_reopen(actor=world.staff, period=period, reason="Сдвиг сроков")
    response = _tick(client, world, period, [world.checkpoint], "reopen", "Ещё раз")
    assert "уже открыт" in response.content.decode()
    assert not CheckpointReopening.objects.exists()


# --- Screens ----------------------------------------------------------------------------------------


def test_the_period_page_lists_its_checkpoints_and_which_are_open(client, world, neighbour, later):
    period = _close_q1(client, world)
    _tick(client, world, period, [neighbour], "reopen", "Ошибка в дате")
    body = client.get(reverse("roadmaps:period-detail", args=[period.pk])).content.decode()
    assert f'id="period-cp-{world.checkpoint.pk}"' in body
    assert f'id="period-cp-{neighbour.pk}"' in body
    assert f'id="period-cp-{later.pk}"' not in body
    assert "Ошибка в дате" in body


def test_the_scope_page_lists_the_periods_closed_for_the_staffs_organisation_only(client, world):
    _close_q1(client, world, organization=world.region_org)
    services.period_close(
        actor=world.outsider, organization=world.foreign_org, **(_q1() | {"label": "Чужой квартал"})
    )
    body = client.get(reverse("roadmaps:period-scope-list")).content.decode()
    assert "I квартал 2025 г." in body
    assert "Чужой" not in body


def test_staff_find_the_periods_from_the_roadmap_header_and_the_menu_coordinators_do_not(client, world):
    periods_url = reverse("roadmaps:period-list", args=[world.roadmap.pk])
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert periods_url in body
    assert reverse("roadmaps:period-scope-list") in body
    client.force_login(world.coordinator)
    body = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert periods_url not in body
    assert reverse("roadmaps:period-scope-list") not in body


def test_a_coordinator_gets_403_on_a_roadmap_period_and_404_on_the_regions_or_a_foreign_one(client, world):
    own = services.period_close(actor=world.staff, roadmap=world.roadmap, **_q1())
    region = services.period_close(actor=world.staff, organization=world.region_org, **_q1())
    foreign = services.period_close(actor=world.outsider, roadmap=world.foreign_roadmap, **_q1())
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:period-detail", args=[own.pk])).status_code == 403
    assert client.get(reverse("roadmaps:period-detail", args=[region.pk])).status_code == 404
    assert client.get(reverse("roadmaps:period-detail", args=[foreign.pk])).status_code == 404
    client.force_login(world.outsider)
    assert client.post(reverse("roadmaps:period-reopen", args=[own.pk]), {"reason": "x"}).status_code == 404
    own.refresh_from_db()
    assert own.is_closed


@pytest.mark.parametrize("size", [1, 20])
def test_the_period_lists_run_a_fixed_number_of_queries(client, world, django_assert_num_queries, size):
    for year in range(2000, 2000 + size):
        span = reporting_periods.quarter(year, 1)
        services.period_close(
            actor=world.staff, roadmap=world.roadmap, first_day=span.first_day, last_day=span.last_day,
            label=span.label,
        )  # fmt: skip
        services.period_close(
            actor=world.staff, organization=world.region_org, first_day=span.first_day,
            last_day=span.last_day, label=span.label,
        )  # fmt: skip
    client.force_login(world.staff)
    # session; user; memberships (the scope); the roadmap with owner, project and act; the periods with
    # their people and reopening counts (those closed for the region are a subquery of it).
    with django_assert_num_queries(5):
        assert client.get(reverse("roadmaps:period-list", args=[world.roadmap.pk])).status_code == 200
    # session; user; memberships; the staff's organisations; the periods with their people and counts.
    with django_assert_num_queries(5):
        assert client.get(reverse("roadmaps:period-scope-list")).status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_the_period_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries, size):
    for number in range(size):
        factories.CheckpointFactory(
            activity=world.checkpoint.activity, sequence=number + 1, planned_due=datetime.date(2025, 2, 1)
        )
    period = services.period_close(actor=world.staff, roadmap=world.roadmap, **_q1())
    client.force_login(world.staff)
    # session; user; memberships (the scope); the period with its roadmap, owner and people (the visible
    # roadmaps a subquery of it); the count; the page of checkpoints with activities; their reopenings.
    with django_assert_num_queries(7):
        assert client.get(reverse("roadmaps:period-detail", args=[period.pk])).status_code == 200
