"""The indicators page of a roadmap: reading it, and staff creating, editing and deleting indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from roadmaps.models import Indicator
from tests import factories


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def _form_data(world, **overrides) -> dict[str, str]:
    data = {
        "name": "Доля детей, охваченных дополнительным образованием",
        "unit": "%",
        "base_value": "60,5",
        "base_year": "2023",
        "activity": str(world.checkpoint.activity.pk),
        "target_2024": "65",
        "target_2025": "70,25",
        "target_2026": "",
    }
    data.update(overrides)
    return data


def _targets(indicator: Indicator) -> dict[int, Decimal]:
    return dict(indicator.targets.values_list("year", "value"))


def test_staff_create_an_indicator_with_targets_typed_with_a_comma(staff_client, world):
    response = staff_client.post(
        reverse("roadmaps:indicator-create", args=[world.roadmap.pk]), _form_data(world)
    )
    assert response.status_code == 302
    assert response.url == reverse("roadmaps:indicator-list", args=[world.roadmap.pk])
    indicator = Indicator.objects.get(roadmap=world.roadmap)
    assert indicator.base_value == Decimal("60.5")
    assert indicator.activity == world.checkpoint.activity
    assert _targets(indicator) == {2024: Decimal("65"), 2025: Decimal("70.25")}
    assert indicator.history.get().history_user == world.staff


def test_the_form_has_a_target_field_for_each_year_of_the_period(staff_client, world):
    body = staff_client.get(reverse("roadmaps:indicator-create", args=[world.roadmap.pk])).content.decode()
    for year in (2024, 2025, 2026):
        assert f"Цель на {year} год" in body
    assert "Цель на 2027 год" not in body


def test_the_activity_choices_are_limited_to_the_roadmaps_activities(staff_client, world):
    foreign_activity = factories.ActivityFactory(roadmap=world.foreign_roadmap, title="Чужое мероприятие")
    response = staff_client.post(
        reverse("roadmaps:indicator-create", args=[world.roadmap.pk]),
        _form_data(world, activity=str(foreign_activity.pk)),
    )
    assert response.status_code == 200
    assert "activity" in response.context["form"].errors
    assert "Чужое мероприятие" not in response.content.decode()
    assert not Indicator.objects.filter(roadmap=world.roadmap).exists()


def test_editing_changes_and_removes_targets(staff_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Старое название")
    factories.IndicatorTargetFactory(indicator=indicator, year=2024, value=10)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=20)
    url = reverse("roadmaps:indicator-update", args=[indicator.pk])
    form = staff_client.get(url).context["form"]
    assert form["target_2025"].value() == Decimal("20")
    response = staff_client.post(
        url,
        _form_data(
            world,
            name="Новое название",
            target_2024="15,5",
            target_2025="",
            target_2026="30",
            version=form["version"].value(),
        ),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Новое название"
    assert _targets(indicator) == {2024: Decimal("15.5"), 2026: Decimal("30")}


def test_a_refused_form_keeps_what_was_typed_and_changes_nothing(staff_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Старое название")
    factories.IndicatorTargetFactory(indicator=indicator, year=2024, value=10)
    response = staff_client.post(
        reverse("roadmaps:indicator-update", args=[indicator.pk]),
        _form_data(world, name="Новое название", target_2024="12", target_2025="не число"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Новое название" in body
    assert 'value="12"' in body
    assert 'value="не число"' in body
    indicator.refresh_from_db()
    assert indicator.name == "Старое название"
    assert _targets(indicator) == {2024: Decimal("10")}


def test_a_target_outside_a_shortened_period_is_refused_with_the_services_message(
    staff_client, world, monkeypatch
):
    # The form offers only the period's years; a stale form (the period shortened meanwhile) may not.
    from roadmaps.forms import IndicatorForm

    monkeypatch.setattr(IndicatorForm, "targets", lambda self: {2031: Decimal("90")})
    response = staff_client.post(
        reverse("roadmaps:indicator-create", args=[world.roadmap.pk]), _form_data(world)
    )
    assert response.status_code == 200
    assert "Год 2031 вне периода дорожной карты 2024–2026" in response.content.decode()
    assert not Indicator.objects.filter(roadmap=world.roadmap).exists()


def test_staff_delete_an_indicator_without_values(staff_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap)
    factories.IndicatorTargetFactory(indicator=indicator)
    response = staff_client.post(reverse("roadmaps:indicator-delete", args=[indicator.pk]))
    assert response.url == reverse("roadmaps:indicator-list", args=[world.roadmap.pk])
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_deleting_an_indicator_with_reported_values_is_refused_with_a_message(staff_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.school)
    response = staff_client.post(reverse("roadmaps:indicator-delete", args=[indicator.pk]), follow=True)
    assert "уже внесены фактические значения" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_coordinator_cannot_edit_indicators(client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:indicator-update", args=[indicator.pk])).status_code == 403
    assert client.post(reverse("roadmaps:indicator-delete", args=[indicator.pk])).status_code == 403
    response = client.post(reverse("roadmaps:indicator-create", args=[world.roadmap.pk]), _form_data(world))
    assert response.status_code == 403
    assert Indicator.objects.filter(roadmap=world.roadmap).count() == 1


def test_outsider_does_not_reach_the_indicators(client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap)
    client.force_login(world.outsider)
    assert client.get(reverse("roadmaps:indicator-list", args=[world.roadmap.pk])).status_code == 404
    assert client.get(reverse("roadmaps:indicator-update", args=[indicator.pk])).status_code == 404
    assert client.post(reverse("roadmaps:indicator-delete", args=[indicator.pk])).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_analyst_reads_targets_and_reported_values_without_edit_controls(client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Доля охваченных детей", unit="%")
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=80)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.school, year=2025, value=70)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.other_school, year=2025, value=90)
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:indicator-list", args=[world.roadmap.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Доля охваченных детей" in body
    cell = response.context["table"].rows[0].cells[1]
    # A share is averaged over the organisations, never summed: 70 % and 90 % make 80 %, not 160.
    assert (cell.year, cell.target, cell.value) == (2025, Decimal("80"), Decimal("80.00"))
    assert cell.organizations == 2
    assert cell.actual.label == "ср. по 2 орг."
    assert cell.achieved is True
    assert "ср. по 2 орг." in body
    assert "Σ" not in body
    assert "Добавить показатель" not in body
    assert reverse("roadmaps:indicator-update", args=[indicator.pk]) not in body


def test_roadmap_page_and_dashboard_link_to_the_indicators(staff_client, world):
    url = reverse("roadmaps:indicator-list", args=[world.roadmap.pk])
    factories.IndicatorFactory(roadmap=world.roadmap)
    for page in ("roadmaps:roadmap-detail", "roadmaps:roadmap-dashboard"):
        assert url in staff_client.get(reverse(page, args=[world.roadmap.pk])).content.decode()
    assert url in staff_client.get(reverse("roadmaps:dashboard")).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_indicator_list_runs_the_same_queries_for_2_and_20_indicators(
    client, world, django_assert_num_queries, size
):
    for n in range(size):
        indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
        factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=n)
        factories.IndicatorValueFactory(indicator=indicator, organization=world.school, year=2025, value=n)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 roadmap with owner, project, act (access helper);
    # 5 indicators with activities; 6 their targets (prefetch); 7 values summed by indicator and year.
    with django_assert_num_queries(7):
        response = client.get(reverse("roadmaps:indicator-list", args=[world.roadmap.pk]))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == size


def test_the_dashboard_chart_averages_shares_and_says_how_the_fact_is_made(staff_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Доля охваченных детей", unit="%")
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=80)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.school, year=2025, value=60)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.other_school, year=2025, value=77)
    body = staff_client.get(reverse("roadmaps:roadmap-dashboard", args=[world.roadmap.pk])).content.decode()
    # 60 % and 77 % make 68,5 % (the mean), never 137.
    assert "факт 2025: 68,5" in body and "137" not in body
    assert "факт по организациям: среднее по организациям" in body
