"""The one aggregation rule (`outcomes.aggregate`): organisations' values of an indicator into one figure."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmaps import outcomes
from roadmaps.outcomes import MEAN, SEPARATE, SUM, WEIGHTED, Tally, aggregate

D = Decimal


def figure(unit, method, values):
    return aggregate(unit, method, Tally.of(values))


@pytest.mark.parametrize(
    ("unit", "method", "values", "expected", "label"),
    [
        # Shares 40, 50, 60 %: the mean is 50 %, never 150.
        ("%", MEAN, [(D(40), None), (D(50), None), (D(60), None)], D("50.00"), "ср. по 3 орг."),
        # A share stored with «сумма» (before the method existed) is still averaged.
        ("%", SUM, [(D(40), None), (D(50), None), (D(60), None)], D("50.00"), "ср. по 3 орг."),
        # Weighted by the base: (40·100 + 50·100 + 60·200) / 400 = 52,5 %.
        (
            "%",
            WEIGHTED,
            [(D(40), D(100)), (D(50), D(100)), (D(60), D(200))],
            D("52.50"),
            "взвеш. ср. по 3 орг.",
        ),
        # A value without its base is left out of the weighted mean (and said so), not taken as zero.
        ("%", WEIGHTED, [(D(40), D(100)), (D(60), None)], D("40.00"), "взвеш. ср. по 1 из 2 орг."),
        ("%", WEIGHTED, [(D(40), None)], None, "взвеш. ср. по 0 из 1 орг."),
        ("%", WEIGHTED, [(D(40), D(0))], None, "взвеш. ср. по 1 орг."),
        # Counts add up.
        ("чел.", SUM, [(D(12), None), (D(30), None), (D("7.5"), None)], D("49.50"), "сумма по 3 орг."),
        ("чел.", None, [(D(12), None), (D(30), None)], D("42.00"), "сумма по 2 орг."),
        ("ед.", MEAN, [(D(1), None), (D(2), None)], D("1.50"), "ср. по 2 орг."),
        # «Не сводится»: no figure, only the organisations' values.
        ("место", SEPARATE, [(D(3), None), (D(1), None)], None, "не сводится (2 орг.)"),
        # Nothing reported: no figure at all (not zero).
        ("%", MEAN, [], None, ""),
        ("чел.", SUM, [], None, ""),
        ("чел.", SUM, [(None, None), (D(5), None)], D("5.00"), "сумма по 1 орг."),
    ],
)
def test_aggregate_by_method(unit, method, values, expected, label):
    result = figure(unit, method, values)
    assert result.value == expected
    assert result.label == label


def test_default_method_follows_the_unit():
    assert outcomes.default_aggregation("%") == MEAN
    assert outcomes.default_aggregation(" % ") == MEAN
    assert outcomes.default_aggregation("чел.") == SUM
    assert outcomes.aggregation_for("%", SUM) == MEAN
    assert outcomes.aggregation_for("%", WEIGHTED) == WEIGHTED
    assert outcomes.aggregation_for("чел.", "garbage") == SUM


def test_achievement_compares_the_figure_with_the_target():
    assert outcomes.achieved(D(50), D("52.5")) is True
    assert outcomes.achieved(D(50), D("49.99")) is False
    assert outcomes.achieved(None, D(1)) is None
    assert outcomes.achieved(D(1), None) is None
    assert outcomes.achievement(D(50), D(40)) == 80.0


def test_combine_actuals_keeps_its_old_answers():
    assert outcomes.combine_actuals("%", [D("40"), D("55")]) == D("47.50")
    assert outcomes.combine_actuals("чел.", [D("40"), D("55")]) == D("95.00")


values = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=1, max_value=5000, places=0, allow_nan=False, allow_infinity=False)


@given(st.lists(values, min_size=1, max_size=40), st.sampled_from([MEAN, SUM, None, "x"]))
def test_a_mean_of_shares_stays_within_the_values(shares, method):
    result = figure("%", method, [(v, None) for v in shares])
    assert min(shares) <= result.value <= max(shares)


@given(st.lists(st.tuples(values, weights), min_size=1, max_size=40))
def test_a_weighted_mean_stays_within_the_values(pairs):
    result = figure("%", WEIGHTED, pairs)
    shares = [v for v, _w in pairs]
    assert min(shares) <= result.value <= max(shares)


@given(st.lists(values, min_size=2, max_size=40))
def test_a_share_is_never_summed(shares):
    # With two or more positive shares a sum would exceed the largest one; every method stays within.
    for method in (SUM, MEAN, WEIGHTED, None):
        result = figure("%", method, [(v, D(1)) for v in shares])
        assert result.value is None or result.value <= max(shares)


@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), max_size=60))
def test_a_sum_of_counts_equals_the_total(counts):
    result = figure("чел.", SUM, [(v, None) for v in counts])
    assert result.value == (sum(counts, D(0)).quantize(D("0.01")) if counts else None)
    assert result.organizations == len(counts)


@given(st.lists(values, min_size=1, max_size=40), weights)
def test_a_weighted_mean_with_equal_weights_is_the_mean(shares, weight):
    weighted = figure("%", WEIGHTED, [(v, weight) for v in shares])
    plain = figure("%", MEAN, [(v, None) for v in shares])
    assert abs(weighted.value - plain.value) <= D("0.01")


@given(st.lists(st.one_of(st.none(), values), max_size=40))
def test_missing_values_are_not_zeros(maybe):
    # Values nobody reported change nothing: the figure is that of the reported ones alone.
    reported = [v for v in maybe if v is not None]
    for method in (MEAN, SUM):
        with_gaps = figure("чел.", method, [(v, None) for v in maybe])
        without = figure("чел.", method, [(v, None) for v in reported])
        assert with_gaps == without
        assert with_gaps.reported == len(reported)
