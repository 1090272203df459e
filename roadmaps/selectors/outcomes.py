"""Outcome counts and indicator actuals as of a date: the reads every dashboard and report shares.

The rules are `roadmaps/outcomes.py`'s, evaluated in SQL by `CheckpointQuerySet.with_outcome_as_of`; so
the FIOKO form, the monitoring report and the dashboards count the same checkpoints the same way.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum

from roadmaps import outcomes
from roadmaps.models import Checkpoint, IndicatorValue
from roadmaps.outcomes import ActivityCounts, OutcomeCounts, Tally
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
    rows = _outcome_rows(checkpoints, as_of, fields)
    return _grouped(
        ((tuple(row[f] for f in fields), row["outcome"], row["is_due"], row["n"]) for row in rows),
        [fields.index(f) for f in label_fields or fields],
    )


def outcome_groups_through(
    checkpoints: QuerySet[Checkpoint],
    as_of: datetime.date,
    *,
    rows: QuerySet,
    fields: tuple[str, ...],
    label_fields: tuple[str, ...] | None = None,
) -> dict[tuple, OutcomeCounts]:
    """Like `outcome_groups`, for groups an activity belongs to through other rows — `rows`, a queryset
    with `activity_id` and `fields`, such as the activities' responsibilities (one query).

    Each checkpoint's outcome is worked out once, counted per activity, and only those counts are spread
    over the activity's rows: joining first would work out every outcome once per responsible
    organisation, millions of times for a region. An activity without rows counts in a group of Nones.
    """
    per_activity = (
        checkpoints.with_outcome_as_of(as_of)
        .order_by()
        .values(k=F("activity_id"), o=F("outcome"), d=F("is_due"))
        .annotate(n=Count("pk"))
    )
    groups = (
        rows.order_by().values(k=F("activity_id"), **{f"g{i}": F(f) for i, f in enumerate(fields)}).distinct()
    )
    try:
        counted_sql, counted_params = per_activity.query.sql_with_params()
        groups_sql, groups_params = groups.query.sql_with_params()
    except EmptyResultSet:  # an empty list of roadmaps or activities: nothing to count
        return {}
    columns = ", ".join(f"g.g{i}" for i in range(len(fields)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, a.o, a.d, SUM(a.n) FROM ({counted_sql}) a"
            f" LEFT JOIN ({groups_sql}) g ON g.k = a.k GROUP BY {columns}, a.o, a.d",
            [*counted_params, *groups_params],
        )
        found = [(tuple(row[: len(fields)]), *row[len(fields) :]) for row in cursor.fetchall()]
    return _grouped(found, [fields.index(f) for f in label_fields or fields])


def _grouped(rows, label_positions: list[int]) -> dict[tuple, OutcomeCounts]:
    """(key, outcome, is_due, n) rows into one OutcomeCounts per key, labelled by the key's values at
    `label_positions`."""
    groups: dict[tuple, OutcomeCounts] = {}
    for key, outcome, is_due, n in rows:
        group = groups.get(key)
        if group is None:
            label = " ".join(str(key[i]) for i in label_positions if key[i]).strip()
            group = groups[key] = OutcomeCounts(label=label, key=key)
        group.add(outcome, bool(is_due), int(n))
    return groups


def activity_counts(
    checkpoints: QuerySet[Checkpoint], as_of: datetime.date, *, total: int
) -> tuple[ActivityCounts, OutcomeCounts]:
    """Activities due, done and overdue as of the date, and all checkpoints by outcome (as
    `outcome_totals`), from one pass streamed per activity so memory stays flat."""
    rows = _outcome_rows(checkpoints, as_of, ("activity_id",)).order_by("activity_id")
    counts, totals = ActivityCounts(total=total), OutcomeCounts()
    streamed = rows.values_list("activity_id", "outcome", "is_due", "n").iterator(chunk_size=5000)
    for _activity_id, group in groupby(streamed, itemgetter(0)):
        outcomes_of_activity = []
        for _a, outcome, due, n in group:
            totals.add(outcome, due, n)
            if outcome is not None:
                outcomes_of_activity.append((outcome, due))
        counts.add(outcomes_of_activity)
    return counts, totals


# Σ value × weight in SQL: wide enough for 14-digit values times 14-digit weights.
_WEIGHTED = ExpressionWrapper(
    F("value") * F("weight"), output_field=DecimalField(max_digits=30, decimal_places=4)
)
_WIDE = DecimalField(max_digits=30, decimal_places=4)


def tally_annotations() -> dict:
    """The aggregates `tally_of_row` reads: annotate values grouped by indicator (and year, org…) with
    these, so a page of any number of organisations costs one query for its figures."""
    return {
        "t_count": Count("value"),
        "t_total": Sum("value", output_field=_WIDE),
        "t_weighted_count": Count("weight"),
        "t_weighted_total": Sum(_WEIGHTED, output_field=_WIDE),
        "t_weight_total": Sum("weight", output_field=_WIDE),
    }


def tally_of_row(row: dict) -> Tally:
    def number(name: str) -> Decimal:
        value = row[name]
        return Decimal(0) if value is None else Decimal(value)

    return Tally(
        count=row["t_count"],
        total=number("t_total"),
        weighted_count=row["t_weighted_count"],
        weighted_total=number("t_weighted_total"),
        weight_total=number("t_weight_total"),
    )


def indicator_actuals_as_of(
    methods: dict[int, tuple[str, str]], year: int, as_of: datetime.date
) -> dict[int, Decimal | None]:
    """Each indicator's actual value for `year` as it stood at the end of `as_of`.

    `methods` maps indicator ids to their (unit, aggregation): the values combine by `outcomes.aggregate`,
    the rule the indicators page follows. A value unchanged since the date is read as it is; one changed
    later is read back from its history (with the weight it had), and one first entered later does not
    exist yet. Queries: values; history of the values changed since.
    """
    cutoff = as_of_cutoff(as_of)
    values: dict[int, list[tuple[Decimal, Decimal | None]]] = {pk: [] for pk in methods}
    changed: list[int] = []
    for pk, indicator_id, value, weight, reported_at in IndicatorValue.objects.filter(
        indicator_id__in=list(methods), year=year
    ).values_list("pk", "indicator_id", "value", "weight", "reported_at"):
        if reported_at < cutoff:
            values[indicator_id].append((value, weight))
        else:
            changed.append(pk)
    if changed:
        history = (
            IndicatorValue.history.filter(id__in=changed, history_date__lt=cutoff)
            .order_by("id", "-history_date", "-history_id")
            .values_list("id", "indicator_id", "value", "weight", "history_type")
        )
        for _pk, versions in groupby(history, itemgetter(0)):
            _id, indicator_id, value, weight, kind = next(versions)
            if kind != "-":
                values[indicator_id].append((value, weight))
    return {pk: outcomes.aggregate(*methods[pk], Tally.of(found)).value for pk, found in values.items()}
