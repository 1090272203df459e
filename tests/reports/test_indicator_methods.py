"""The FIOKO form's and the monitoring report's indicator lines follow the indicator's method — the rule
the indicators page applies (`outcomes.aggregate`)."""

import datetime
from decimal import Decimal

import pytest

from reports.builders.fioko_form import _Batch
from reports.builders.monitoring_data import monitoring_data
from roadmaps import outcomes, services
from roadmaps.models import IndicatorTarget, IndicatorValue
from tests import factories
from tests.factories import noon

AS_OF = datetime.date(2025, 4, 1)


@pytest.fixture
def three_schools(world):
    schools = [world.school, world.other_school, factories.OrganizationFactory(parent=world.region_org)]
    activity = world.checkpoint.activity

    def indicator(name, unit, method, values, weights=(None, None, None), target=None):
        item = factories.IndicatorFactory(
            roadmap=world.roadmap, activity=activity, name=name, unit=unit, aggregation=method
        )
        if target is not None:
            factories.IndicatorTargetFactory(indicator=item, year=2025, value=target)
        # An organisation's own target is never read as the roadmap's.
        IndicatorTarget.objects.create(indicator=item, year=2025, value=999, organization=schools[0])
        for school, value, weight in zip(schools, values, weights, strict=True):
            factories.IndicatorValueFactory(
                indicator=item, organization=school, year=2025, value=value, weight=weight
            )
        return item

    indicator("Доля школ", "%", outcomes.MEAN, (40, 50, 60), target=45)
    indicator("Доля обучающихся", "%", outcomes.WEIGHTED, (40, 50, 60), (100, 100, 200), target=55)
    indicator("Участники", "чел.", outcomes.SUM, (10, 20, 5), target=30)
    # A share stored as «сумма» (imported before methods existed) is still averaged.
    indicator("Доля педагогов", "%", outcomes.SUM, (40, 50, 60))
    return world


def test_fioko_lines_follow_the_method(three_schools):
    world = three_schools
    lines = _Batch._indicator_lines({"activity_id__in": [world.checkpoint.activity_id]}, AS_OF)
    assert lines[world.checkpoint.activity_id] == [
        "Доля школ: план 45 %, факт 50 %",
        "Доля обучающихся: план 55 %, факт 52,5 %",
        "Участники: план 30 чел., факт 35 чел.",
        "Доля педагогов: план —, факт 50 %",
    ]


def test_monitoring_lines_follow_the_method(three_schools):
    data = monitoring_data([three_schools.roadmap.pk], AS_OF)
    rows = {row.name: (row.target, row.actual, row.achievement) for row in data.indicators}
    assert rows == {
        "Доля школ": (Decimal(45), Decimal("50.00"), 111.1),
        "Доля обучающихся": (Decimal(55), Decimal("52.50"), 95.5),
        "Участники": (Decimal(30), Decimal("35.00"), 116.7),
        "Доля педагогов": (None, Decimal("50.00"), None),
    }


def test_a_weight_changed_after_the_date_is_read_back_from_history(three_schools):
    world = three_schools
    weighted = world.roadmap.indicators.get(name="Доля обучающихся")
    # The values were entered on 15 January (the factory dates the values, here their history too).
    IndicatorValue.history.update(history_date=noon(datetime.date(2025, 1, 15)))
    third = weighted.values.get(value=60).organization
    # On 10 May the third school corrects its base to 600: (40·100 + 50·100 + 60·600) / 800 = 56,25.
    value = services.indicator_value_set(
        actor=world.staff, indicator=weighted, year=2025, organization=third, value=Decimal(60),
        weight=Decimal(600),
    )  # fmt: skip
    may = noon(datetime.date(2025, 5, 10))
    IndicatorValue.objects.filter(pk=value.pk).update(reported_at=may)
    value.history.filter(history_type="~").update(history_date=may)

    def actual(as_of):
        data = monitoring_data([world.roadmap.pk], as_of)
        return next(r for r in data.indicators if r.name == "Доля обучающихся").actual

    assert actual(AS_OF) == Decimal("52.50")
    assert actual(datetime.date(2025, 6, 1)) == Decimal("56.25")
