"""Outcome counts and indicator actuals as of a date: the reads every dashboard and report shares.

The rules are `roadmaps/outcomes.py`'s, evaluated in SQL by `CheckpointQuerySet.with_outcome_as_of`; so
the FIOKO form, the monitoring report and the dashboards count the same checkpoints the same way.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, QuerySet

from roadmaps import outcomes
from roadmaps.models import Checkpoint, IndicatorValue
from roadmaps.outcomes import ActivityCounts, OutcomeCounts
from roadmaps.querysets import as_of_cutoff


def _outcome_rows(checkpoints: QuerySet[Checkpoint], as_of: datetime.date, group_by: tuple[str, ...]):
    # GROUP BY the computed outcome: PostgreSQL evaluates the as-of expression once per row. Checkpoints
    # cancelled as of the date have no outcome and are left out by the callers.
    return (
        checkpoints.with_outcome_as_of(as_of)
        .order_by()
        .values(*group_by, "outcome", "is_due")
        .annotate(n=Count("pk"))
    )


def outcome_totals(checkpoints: QuerySet[Checkpoint], as_of: datetime.date) -> OutcomeCounts:
    """All of `checkpoints` by outcome as of the date (one query)."""
    totals = OutcomeCounts()
    for row in _outcome_rows(checkpoints, as_of, ()):
        totals.add(row["outcome"], row["is_due"], row["n"])
    return totals


def outcome_groups(
    checkpoints: QuerySet[Checkpoint],
    as_of: datetime.date,
    *,
    fields: tuple[str, ...],
    label_fields: tuple[str, ...] | None = None,
) -> dict[tuple, OutcomeCounts]:
    """`checkpoints` by outcome per distinct value of `fields` (one query); a group's key is the tuple
    of those values and its label joins the values of `label_fields` (all of `fields` by default)."""
    groups: dict[tuple, OutcomeCounts] = {}
    for row in _outcome_rows(checkpoints, as_of, fields):
        key = tuple(row[f] for f in fields)
        group = groups.get(key)
        if group is None:
            label = " ".join(str(row[f]) for f in label_fields or fields if row[f]).strip()
            group = groups[key] = OutcomeCounts(label=label, key=key)
        group.add(row["outcome"], row["is_due"], row["n"])
    return groups


def activity_counts(checkpoints: QuerySet[Checkpoint], as_of: datetime.date, *, total: int) -> ActivityCounts:
    """Activities due, done and overdue as of the date, streamed per activity so memory stays flat."""
    rows = _outcome_rows(checkpoints, as_of, ("activity_id",)).order_by("activity_id")
    counts = ActivityCounts(total=total)
    streamed = rows.values_list("activity_id", "outcome", "is_due").iterator(chunk_size=5000)
    for _activity_id, group in groupby(streamed, itemgetter(0)):
        counts.add([(outcome, due) for _a, outcome, due in group if outcome is not None])
    return counts


def indicator_actuals_as_of(
    units: dict[int, str], year: int, as_of: datetime.date
) -> dict[int, Decimal | None]:
    """Each indicator's actual value for `year` as it stood at the end of `as_of`.

    `units` maps indicator ids to their units (shares are averaged over organisations, counts add up).
    A value unchanged since the date is read as it is; one changed later is read back from its history,
    and one first entered later does not exist yet. Queries: values; history of the values changed since.
    """
    cutoff = as_of_cutoff(as_of)
    values: dict[int, list[Decimal]] = {pk: [] for pk in units}
    changed: list[int] = []
    for pk, indicator_id, value, reported_at in IndicatorValue.objects.filter(
        indicator_id__in=list(units), year=year
    ).values_list("pk", "indicator_id", "value", "reported_at"):
        if reported_at < cutoff:
            values[indicator_id].append(value)
        else:
            changed.append(pk)
    if changed:
        history = (
            IndicatorValue.history.filter(id__in=changed, history_date__lt=cutoff)
            .order_by("id", "-history_date", "-history_id")
            .values_list("id", "indicator_id", "value", "history_type")
        )
        for _pk, versions in groupby(history, itemgetter(0)):
            _id, indicator_id, value, kind = next(versions)
            if kind != "-":
                values[indicator_id].append(value)
    return {pk: outcomes.combine_actuals(units[pk], found) for pk, found in values.items()}
