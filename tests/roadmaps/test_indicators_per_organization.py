"""Indicators per organisation: the method on the page, own targets, the breakdown by organisation."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Membership
from roadmaps import outcomes, services
from roadmaps.models import Indicator, IndicatorTarget, IndicatorValue
from tests import factories

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}


def _schools(world, n: int) -> list:
    """`n` schools under the region, each responsible for the world's activity."""
    schools = [world.school, world.other_school]
    for i in range(n - 2):
        schools.append(
            factories.OrganizationFactory(
                short_name=f"Школа {i:03d}", parent=world.region_org, region=world.region_org.region
            )
        )
    schools = schools[:n]
    for school in schools[1:]:
        factories.ResponsibilityFactory(activity=world.checkpoint.activity, organization=school)
    return schools


def _indicator(world, **kwargs) -> Indicator:
    return factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity, **kwargs)


def _values(indicator, schools, values, weights=None, year=2025):
    for i, (school, value) in enumerate(zip(schools, values, strict=True)):
        weight = weights[i] if weights else None
        factories.IndicatorValueFactory(
            indicator=indicator, organization=school, year=year, value=value, weight=weight
        )


# --- the model ----------------------------------------------------------------------------------------


def test_one_roadmap_target_and_one_own_target_per_organisation_and_year(world):
    indicator = _indicator(world)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=50)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=60, organization=world.school)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=40, organization=world.other_school)
    with pytest.raises(ValidationError, match="целевое значение дорожной карты уже задано"):
        IndicatorTarget(indicator=indicator, year=2025, value=1).full_clean()
    with pytest.raises(ValidationError, match="целевое значение этой организации уже задано"):
        IndicatorTarget(indicator=indicator, year=2025, value=1, organization=world.school).full_clean()
    IndicatorTarget(indicator=indicator, year=2026, value=1, organization=world.school).full_clean()


def test_the_data_migration_averages_shares_and_sums_the_rest(world):
    share = _indicator(world, unit="%")
    count = _indicator(world, unit="чел.")
    Indicator.objects.update(aggregation=outcomes.SUM)
    migration = importlib.import_module("roadmaps.migrations.0016_indicator_aggregation_per_organization")
    migration.aggregation_from_unit(global_apps, None)
    share.refresh_from_db()
    count.refresh_from_db()
    assert (share.aggregation, count.aggregation) == (outcomes.MEAN, outcomes.SUM)


# --- the indicators page ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def _cell(response, indicator, year=2025):
    row = next(r for r in response.context["table"].rows if r.indicator.pk == indicator.pk)
    return next(c for c in row.cells if c.year == year)


def test_the_page_combines_values_by_the_method(staff_client, world):
    schools = _schools(world, 3)
    shares = _indicator(world, unit="%", aggregation=outcomes.MEAN)
    _values(shares, schools, [40, 50, 60])
    factories.IndicatorTargetFactory(indicator=shares, year=2025, value=55)
    weighted = _indicator(world, unit="%", aggregation=outcomes.WEIGHTED)
    _values(weighted, schools, [40, 50, 60], weights=[100, 100, 200])
    counts = _indicator(world, unit="чел.", aggregation=outcomes.SUM)
    _values(counts, schools, [10, 20, 5])
    factories.IndicatorTargetFactory(indicator=counts, year=2025, value=30)
    # An organisation's own target is not the roadmap's.
    IndicatorTarget.objects.create(indicator=counts, year=2025, value=1000, organization=world.school)
    response = staff_client.get(reverse("roadmaps:indicator-list", args=[world.roadmap.pk]))
    body = response.content.decode()

    cell = _cell(response, shares)
    assert (cell.value, cell.actual.label, cell.achieved) == (D("50.00"), "ср. по 3 орг.", False)
    cell = _cell(response, weighted)
    assert (cell.value, cell.actual.label) == (D("52.50"), "взвеш. ср. по 3 орг.")
    cell = _cell(response, counts)
    assert (cell.target, cell.value, cell.actual.label, cell.achieved) == (
        D(30),
        D("35.00"),
        "сумма по 3 орг.",
        True,
    )
    for text in (
        "ср. по 3 орг.",
        "взвеш. ср. по 3 орг.",
        "сумма по 3 орг.",
        "цель достигнута",
        "не достигнута",
    ):
        assert text in body
    assert "Σ" not in body
    assert reverse("roadmaps:indicator-breakdown", args=[shares.pk]) in body


@pytest.mark.parametrize("size", [3, 60])
def test_the_page_runs_the_same_queries_for_3_and_60_organisations(
    client, world, django_assert_num_queries, size
):
    schools = _schools(world, size)
    for method in (outcomes.MEAN, outcomes.WEIGHTED, outcomes.SUM):
        indicator = _indicator(world, aggregation=method, unit="%" if method != outcomes.SUM else "ед.")
        factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=50)
        IndicatorTarget.objects.create(indicator=indicator, year=2025, value=10, organization=schools[0])
        _values(indicator, schools, [n % 100 for n in range(size)], weights=[n + 1 for n in range(size)])
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 roadmap (access helper); 5 indicators with activities;
    # 6 their roadmap-level targets; 7 values tallied by indicator and year.
    with django_assert_num_queries(7):
        response = client.get(reverse("roadmaps:indicator-list", args=[world.roadmap.pk]))
    assert response.status_code == 200
    assert _cell(response, indicator).organizations == size


# --- the breakdown ------------------------------------------------------------------------------------


def _breakdown_url(indicator, **query):
    url = reverse("roadmaps:indicator-breakdown", args=[indicator.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_staff_see_every_organisation_of_their_scope_with_target_and_actual(staff_client, world):
    schools = _schools(world, 3)
    indicator = _indicator(world, unit="%", aggregation=outcomes.WEIGHTED)
    _values(indicator, schools[:2], [40, 70], weights=[100, 300])
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=60)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=50, organization=schools[0])
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=60, organization=schools[1])
    # A value from an organisation of another region never shows here.
    factories.IndicatorValueFactory(
        indicator=indicator, organization=world.foreign_org, year=2025, value=99, weight=1
    )
    response = staff_client.get(_breakdown_url(indicator, year=2025, sort="shortfall"))
    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    rows = {row.organization.pk: row for row in breakdown.rows}
    assert set(rows) == {s.pk for s in schools}
    assert (rows[schools[0].pk].target_value, rows[schools[0].pk].actual, rows[schools[0].pk].achieved) == (
        D(50),
        D(40),
        False,
    )
    assert rows[schools[1].pk].achieved is True
    assert (rows[schools[2].pk].target, rows[schools[2].pk].value, rows[schools[2].pk].achieved) == (
        None,
        None,
        None,
    )
    # The furthest behind its own target first.
    assert breakdown.rows[0].organization == schools[0]
    # (40·100 + 70·300) / 400 = 62,5 against the roadmap's 60.
    assert (breakdown.actual.value, breakdown.roadmap_target, breakdown.achieved) == (D("62.50"), D(60), True)
    body = response.content.decode()
    assert "взвеш. ср. по 2 орг." in body
    assert "МО" not in body and "99" not in body.split('id="breakdown"')[1]


def test_a_coordinator_sees_their_own_organisation_only(client, world):
    schools = _schools(world, 3)
    indicator = _indicator(world, unit="%")
    _values(indicator, schools, [40, 50, 60])
    client.force_login(world.coordinator)
    response = client.get(_breakdown_url(indicator, year=2025))
    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    assert [row.organization for row in breakdown.rows] == [world.school]
    assert breakdown.actual.value == D("40.00")
    assert "form" not in response.context  # no targets table to edit
    assert (
        reverse("roadmaps:indicator-organization-targets", args=[indicator.pk])
        not in response.content.decode()
    )


def test_the_breakdown_is_404_outside_the_scope(client, world):
    indicator = factories.IndicatorFactory(roadmap=world.foreign_roadmap)
    client.force_login(world.staff)
    assert client.get(_breakdown_url(indicator)).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_the_breakdown_runs_the_same_queries_for_3_and_60_organisations(
    client, world, django_assert_num_queries, size
):
    schools = _schools(world, size)
    indicator = _indicator(world, aggregation=outcomes.WEIGHTED)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=50)
    for school in schools[::2]:
        IndicatorTarget.objects.create(indicator=indicator, year=2025, value=10, organization=school)
    _values(indicator, schools, [n % 100 for n in range(size)], weights=[n + 1 for n in range(size)])
    for value in IndicatorValue.objects.all():
        value.reported_by = world.coordinator
        value.save()
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 the indicator with its roadmap and activity;
    # 5 participating organisations; 6 targets of the year; 7 values with who entered them.
    with django_assert_num_queries(7):
        response = client.get(_breakdown_url(indicator, year=2025))
    assert response.status_code == 200
    assert len(response.context["breakdown"].rows) == size


def test_inactive_organisations_are_not_offered_a_target(staff_client, world):
    schools = _schools(world, 3)
    schools[2].is_active = False
    schools[2].save()
    indicator = _indicator(world)
    response = staff_client.get(_breakdown_url(indicator))
    form = response.context["form"]
    assert set(form.fields) == {"version", f"target_{schools[0].pk}", f"target_{schools[1].pk}"}
    # …and without a value or a target it is not listed at all.
    assert schools[2] not in [row.organization for row in response.context["breakdown"].rows]


# --- own targets: staff's table -----------------------------------------------------------------------


def _post_targets(client, indicator, year, version, **targets):
    data = {"year": year, "version": version, **{f"target_{pk}": v for pk, v in targets.items()}}
    return client.post(reverse("roadmaps:indicator-organization-targets", args=[indicator.pk]), data)


def test_staff_set_own_targets_with_history(staff_client, world):
    schools = _schools(world, 3)
    indicator = _indicator(world)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=5, organization=schools[2])
    response = _post_targets(
        staff_client, indicator, 2025, indicator.version,
        **{str(schools[0].pk): "45,5", str(schools[1].pk): "50", str(schools[2].pk): ""},
    )  # fmt: skip
    assert response.status_code == 302
    own = dict(
        IndicatorTarget.objects.filter(organization__isnull=False).values_list("organization_id", "value")
    )
    assert own == {schools[0].pk: D("45.50"), schools[1].pk: D("50.00")}
    history = IndicatorTarget.history.filter(organization_id=schools[0].pk).get()
    assert history.history_user == world.staff
    assert (
        IndicatorTarget.history.filter(organization_id=schools[2].pk, history_type="-").get().history_user
        == world.staff
    )
    indicator.refresh_from_db()
    assert indicator.version == 2
    # The roadmap's own target is untouched by the table, and the page still shows no roadmap target.
    assert not IndicatorTarget.objects.filter(organization__isnull=True).exists()


def test_a_refused_table_keeps_what_was_typed_and_writes_nothing(staff_client, world):
    schools = _schools(world, 2)
    indicator = _indicator(world)
    response = _post_targets(
        staff_client, indicator, 2025, indicator.version,
        **{str(schools[0].pk): "45", str(schools[1].pk): "много"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="45"' in body and 'value="много"' in body
    assert not IndicatorTarget.objects.exists()


def test_a_stale_table_is_refused_with_both_sides_shown(staff_client, world):
    schools = _schools(world, 2)
    indicator = _indicator(world)
    opened = indicator.version
    services.indicator_organization_targets_set(
        actor=world.staff, indicator=indicator, year=2025, targets={schools[0].pk: D(10)},
        organizations=schools, expected_version=opened,
    )  # fmt: skip
    response = _post_targets(staff_client, indicator, 2025, opened, **{str(schools[0].pk): "20"})
    assert response.status_code == 409
    assert 'value="20"' in response.content.decode()
    assert IndicatorTarget.objects.get(organization=schools[0]).value == D(10)


def test_the_service_refuses_organisations_outside_and_switched_off(world):
    schools = _schools(world, 2)
    indicator = _indicator(world)
    with pytest.raises(ValidationError, match="вне вашей области доступа"):
        services.indicator_organization_targets_set(
            actor=world.staff, indicator=indicator, year=2025, targets={world.foreign_org.pk: D(1)},
            organizations=schools, expected_version=indicator.version,
        )  # fmt: skip
    schools[1].is_active = False
    schools[1].save()
    with pytest.raises(ValidationError, match="отключена"):
        services.indicator_organization_targets_set(
            actor=world.staff, indicator=indicator, year=2025,
            targets={schools[0].pk: D(1), schools[1].pk: D(2)},
            organizations=schools, expected_version=indicator.version,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="вне периода"):
        services.indicator_organization_targets_set(
            actor=world.staff, indicator=indicator, year=2031, targets={schools[0].pk: D(1)},
            organizations=schools, expected_version=indicator.version,
        )  # fmt: skip
    assert not IndicatorTarget.objects.exists()


def test_a_coordinator_cannot_post_targets(client, world):
    indicator = _indicator(world)
    client.force_login(world.coordinator)
    response = _post_targets(client, indicator, 2025, indicator.version, **{str(world.school.pk): "1"})
    assert response.status_code == 403
    assert not IndicatorTarget.objects.exists()


# --- the method on the indicator form; values with weights ----------------------------------------------


def test_the_indicator_form_saves_the_method_and_refuses_a_summed_share(staff_client, world):
    from roadmaps.models import Roadmap

    draft = world.draft
    assert draft.status == Roadmap.Status.DRAFT
    url = reverse("roadmaps:indicator-create", args=[draft.pk])
    data = {"name": "Доля педагогов", "unit": "%", "aggregation": outcomes.SUM}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Доли организаций не складываются" in response.content.decode()
    assert not Indicator.objects.exists()
    staff_client.post(url, {**data, "aggregation": outcomes.WEIGHTED})
    staff_client.post(url, {"name": "Число участников", "unit": "чел.", "aggregation": ""})
    assert dict(Indicator.objects.values_list("unit", "aggregation")) == {
        "%": outcomes.WEIGHTED,
        "чел.": outcomes.SUM,
    }


def test_a_coordinator_enters_the_weight_a_weighted_indicator_needs(client, world):
    indicator = _indicator(world, unit="%", aggregation=outcomes.WEIGHTED)
    client.force_login(world.coordinator)
    prefix = f"ind{indicator.pk}"
    url = reverse("roadmaps:indicator-value-set", args=[indicator.pk])
    data = {f"{prefix}-organization": world.school.pk, f"{prefix}-year": 2025, f"{prefix}-value": "42,5"}
    response = client.post(url, data, **HTMX)
    assert "Численность (база доли)" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert 'value="42,5"' in response.content.decode()
    client.post(url, {**data, f"{prefix}-weight": "310"}, **HTMX)
    value = IndicatorValue.objects.get()
    assert (value.value, value.weight) == (D("42.50"), D(310))
    assert value.history.get().history_user == world.coordinator


def test_the_value_service_refuses_a_missing_weight_and_a_switched_off_organisation(world):
    indicator = _indicator(world, unit="%", aggregation=outcomes.WEIGHTED)
    with pytest.raises(ValidationError, match="Укажите численность"):
        services.indicator_value_set(
            actor=world.coordinator, indicator=indicator, year=2025, organization=world.school, value=D(1)
        )
    world.school.is_active = False
    world.school.save()
    with pytest.raises(ValidationError, match="отключена"):
        services.indicator_value_set(
            actor=world.coordinator, indicator=indicator, year=2025, organization=world.school, value=D(1),
            weight=D(5),
        )  # fmt: skip
    assert not IndicatorValue.objects.exists()


def test_a_coordinator_of_several_schools_is_not_offered_a_switched_off_one(client, world):
    indicator = _indicator(world)
    factories.ResponsibilityFactory(activity=world.checkpoint.activity, organization=world.other_school)
    Membership.objects.create(user=world.coordinator, organization=world.other_school, role="coordinator")
    world.other_school.is_active = False
    world.other_school.save()
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:my-checkpoints"))
    row = next(r for r in response.context["indicators"] if r["indicator"].pk == indicator.pk)
    assert row["form"].organization_list == [world.school]
