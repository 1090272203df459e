"""The outcome vocabulary: its pure rules, and the SQL that must say the same thing."""

import datetime
import itertools
from decimal import Decimal

import pytest

from roadmaps import outcomes
from roadmaps.models import Checkpoint
from tests import factories

D = datetime.date(2025, 3, 31)
BEFORE, AFTER = datetime.date(2025, 3, 1), datetime.date(2025, 4, 15)


@pytest.mark.parametrize(
    ("status", "due", "actual", "expected"),
    [
        (outcomes.DONE, BEFORE, BEFORE, outcomes.ON_TIME),
        (outcomes.DONE, BEFORE, BEFORE + datetime.timedelta(days=1), outcomes.LATE),
        (outcomes.DONE, None, BEFORE, outcomes.ON_TIME),
        (outcomes.DONE, None, None, outcomes.ON_TIME),  # an actual date given only as text
        # Accepted, but the fact is dated after D: it does not exist yet as of D.
        (outcomes.DONE, BEFORE, AFTER, outcomes.OVERDUE),
        (outcomes.DONE, AFTER, AFTER, outcomes.UPCOMING),
        (outcomes.REPORTED, BEFORE, BEFORE, outcomes.ON_REVIEW),
        (outcomes.RETURNED, BEFORE, BEFORE, outcomes.OVERDUE),
        (outcomes.PLANNED, D, None, outcomes.UPCOMING),  # due on the day itself is not overdue yet
        (outcomes.PLANNED, None, None, outcomes.UPCOMING),
        (outcomes.CANCELLED, BEFORE, None, None),
    ],
)
def test_outcome_of_a_status_as_of_the_date(status, due, actual, expected):
    assert outcomes.outcome_of(status, due, actual, D) == expected


def test_an_activity_is_complete_only_when_every_due_checkpoint_is_done():
    assert outcomes.activity_complete([(outcomes.ON_TIME, True), (outcomes.UPCOMING, False)])
    assert outcomes.activity_complete([(outcomes.LATE, True), (outcomes.ON_TIME, False)])
    assert not outcomes.activity_complete([(outcomes.ON_TIME, True), (outcomes.ON_REVIEW, True)])
    assert not outcomes.activity_complete([(outcomes.OVERDUE, True)])
    assert not outcomes.activity_complete([(outcomes.UPCOMING, False)])  # nothing done yet
    assert not outcomes.activity_complete([])


def test_shares_are_averaged_and_counts_added_up():
    assert outcomes.combine_actuals("%", [Decimal("40"), Decimal("55")]) == Decimal("47.50")
    assert outcomes.combine_actuals("чел.", [Decimal("40"), Decimal("55")]) == Decimal("95.00")
    assert outcomes.combine_actuals("%", []) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [("45", "45"), ("47.50", "47,5"), ("100.00", "100"), ("0.25", "0,25"), ("1200", "1200")],
)
def test_figures_are_written_the_russian_way(value, text):
    assert outcomes.format_number(Decimal(value)) == text


def test_indicator_line_names_plan_and_fact():
    line = outcomes.indicator_line("Доля школ", "%", Decimal("45.00"), Decimal("47.50"))
    assert line == "Доля школ: план 45 %, факт 47,5 %"
    assert (
        outcomes.indicator_line("Участники", "чел.", Decimal(120), None) == "Участники: план 120 чел., факт —"
    )


def test_outcome_counts_share_is_done_among_due():
    counts = outcomes.OutcomeCounts()
    counts.add(outcomes.ON_TIME, True, 3)
    counts.add(outcomes.ON_TIME, False, 1)  # done early: counts as done, not as due
    counts.add(outcomes.OVERDUE, True, 1)
    counts.add(None, True, 5)  # cancelled
    assert (counts.total, counts.done, counts.due, counts.done_share) == (5, 4, 4, 75.0)
    assert [s["count"] for s in counts.segments()] == [4, 0, 0, 1, 0]


@pytest.mark.django_db
def test_sql_outcomes_match_the_python_rule_for_every_combination(world):
    """Every status × due × actual combination, decided before D: SQL and Python agree."""
    dates = [None, BEFORE, D, AFTER]
    cases = {}
    for status, due, actual in itertools.product(outcomes.STATUSES, dates, dates):
        if status == outcomes.DONE and actual is None:
            continue  # a done checkpoint needs an actual date (or its text)
        checkpoint = factories.CheckpointFactory(
            activity=world.checkpoint.activity,
            planned_start=None,
            planned_due=due,
            status=status,
            actual_date=actual,
            actual_text="текст" if actual is None else "",
            reported_at=factories.noon(BEFORE) if status in outcomes.ACTED_ON else None,
        )
        cases[checkpoint.pk] = outcomes.outcome_of(status, due, actual, D)
    found = dict(Checkpoint.objects.filter(pk__in=cases).with_outcome_as_of(D).values_list("pk", "outcome"))
    assert found == cases
