"""Indicators and their yearly targets: saving, validating against the period, deleting, history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from roadmaps import services
from roadmaps.models import Indicator, IndicatorTarget
from tests import factories


def _save(world, indicator=None, **overrides) -> Indicator:
    fields = {
        "name": "Доля детей, охваченных дополнительным образованием",
        "unit": "%",
        "base_value": Decimal("60"),
        "base_year": 2023,
        "activity": world.checkpoint.activity,
        "targets": {2024: Decimal("65"), 2025: Decimal("70.5")},
    }
    if indicator is not None:
        fields["expected_version"] = indicator.version  # an edit made on top of the version it read
    fields.update(overrides)
    return services.indicator_save(actor=world.staff, roadmap=world.roadmap, indicator=indicator, **fields)


def _targets(indicator: Indicator) -> dict[int, Decimal]:
    return dict(indicator.targets.values_list("year", "value"))


def test_saving_a_new_indicator_creates_it_with_its_targets(world):
    indicator = _save(world)
    assert indicator.roadmap == world.roadmap
    assert indicator.activity == world.checkpoint.activity
    assert indicator.base_value == Decimal("60")
    assert _targets(indicator) == {2024: Decimal("65"), 2025: Decimal("70.5")}


def test_new_indicators_go_to_the_end_of_the_list(world):
    first = _save(world, name="Первый")
    second = _save(world, name="Второй")
    assert second.position > first.position


def test_saving_again_changes_adds_and_removes_targets(world):
    indicator = _save(world)
    _save(world, indicator=indicator, targets={2024: Decimal("66"), 2025: None, 2026: Decimal("80")})
    assert _targets(indicator) == {2024: Decimal("66"), 2026: Decimal("80")}


def test_years_left_out_of_the_targets_keep_what_they_have(world):
    indicator = _save(world)
    _save(world, indicator=indicator, targets={2026: Decimal("80")})
    assert _targets(indicator) == {2024: Decimal("65"), 2025: Decimal("70.5"), 2026: Decimal("80")}


def test_a_target_outside_the_period_is_refused_and_nothing_changes(world):
    indicator = _save(world)
    with pytest.raises(ValidationError) as caught:
        _save(
            world,
            indicator=indicator,
            name="Новое название",
            targets={2024: Decimal("1"), 2031: Decimal("90")},
        )
    assert "Год 2031 вне периода дорожной карты 2024–2026" in " ".join(caught.value.messages)
    indicator.refresh_from_db()
    assert indicator.name == "Доля детей, охваченных дополнительным образованием"
    assert _targets(indicator) == {2024: Decimal("65"), 2025: Decimal("70.5")}


def test_a_new_indicator_with_a_target_outside_the_period_is_not_created(world):
    with pytest.raises(ValidationError):
        _save(world, targets={2023: Decimal("10")})
    assert not Indicator.objects.filter(roadmap=world.roadmap).exists()


def test_a_target_outside_the_period_may_still_be_removed(world):
    indicator = _save(world)
    factories.IndicatorTargetFactory(indicator=indicator, year=2019, value=30)
    _save(world, indicator=indicator, targets={2019: None})
    assert 2019 not in _targets(indicator)


def test_an_activity_of_another_roadmap_is_refused(world):
    foreign_activity = factories.ActivityFactory(roadmap=world.foreign_roadmap)
    with pytest.raises(ValidationError) as caught:
        _save(world, activity=foreign_activity)
    assert "activity" in caught.value.message_dict
    assert not Indicator.objects.filter(roadmap=world.roadmap).exists()


def test_an_empty_name_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        _save(world, name="  ")
    assert "name" in caught.value.message_dict


def test_history_records_who_saved_the_indicator_and_its_targets(world):
    indicator = _save(world)
    _save(world, indicator=indicator, targets={2024: Decimal("66"), 2025: None})
    assert {h.history_user for h in indicator.history.all()} == {world.staff}
    target_history = IndicatorTarget.history.filter(indicator_id=indicator.pk)
    assert {h.history_type for h in target_history} == {"+", "~", "-"}
    assert {h.history_user for h in target_history} == {world.staff}


def test_deleting_an_indicator_removes_its_targets_and_records_the_actor(world):
    indicator = _save(world)
    pk = indicator.pk
    services.indicator_delete(actor=world.staff, indicator=indicator)
    assert not Indicator.objects.filter(pk=pk).exists()
    assert not IndicatorTarget.objects.filter(indicator_id=pk).exists()
    assert Indicator.history.get(id=pk, history_type="-").history_user == world.staff
    deleted_targets = IndicatorTarget.history.filter(indicator_id=pk, history_type="-")
    assert {h.history_user for h in deleted_targets} == {world.staff}


def test_an_indicator_with_reported_values_cannot_be_deleted(world):
    indicator = _save(world)
    factories.IndicatorValueFactory(indicator=indicator, organization=world.school, year=2024, value=61)
    with pytest.raises(ValidationError) as caught:
        services.indicator_delete(actor=world.staff, indicator=indicator)
    assert "фактические значения" in " ".join(caught.value.messages)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert indicator.targets.count() == 2
