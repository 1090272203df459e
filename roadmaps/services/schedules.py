"""Deadline wording → checkpoints, without ever losing what a coordinator has reported."""

import datetime

from django.db import transaction

from roadmaps.data_version import roadmaps_data_changed
from roadmaps.deadlines import Occurrence, Schedule, parse_deadline
from roadmaps.models import Activity, Checkpoint
from roadmaps.services import lifecycle


def _key(start, due, label: str) -> tuple:
    return (start, due, label)


def _apply_schedule_fields(activity: Activity, schedule: Schedule) -> None:
    activity.schedule_kind = schedule.kind
    activity.schedule_description = schedule.describe()[:255]
    activity.schedule_problems = list(schedule.problems)


@transaction.atomic
def activity_sync_checkpoints(*, activity: Activity) -> Schedule:
    """Parse the activity's deadline over its roadmap's period and make its checkpoints match.

    Planned checkpoints follow the schedule (kept when unchanged, otherwise removed or added). Checkpoints
    someone has acted on — reported, done, returned or cancelled — are never deleted or moved; when the
    schedule no longer has their period they are flagged with a mismatch for staff to resolve.
    """
    schedule = parse_deadline(activity.deadline_text, period=activity.roadmap.period)
    _apply_schedule_fields(activity, schedule)
    Activity.objects.filter(pk=activity.pk).update(
        schedule_kind=activity.schedule_kind,
        schedule_description=activity.schedule_description,
        schedule_problems=activity.schedule_problems,
    )

    wanted: dict[tuple, Occurrence] = {_key(o.start, o.due, o.label): o for o in schedule.occurrences}
    existing = list(activity.checkpoints.all())
    closed = lifecycle.closed_days(activity.roadmap) if existing else lifecycle.ClosedDays(())
    to_delete: list[int] = []
    for checkpoint in existing:
        key = _key(checkpoint.planned_start, checkpoint.planned_due, checkpoint.period_label)
        if key in wanted:
            wanted.pop(key)
            if checkpoint.schedule_mismatch:
                checkpoint.schedule_mismatch = ""
                checkpoint.save(update_fields=["schedule_mismatch"])
        elif checkpoint.status == Checkpoint.Status.PLANNED and not closed.closing(
            checkpoint.pk, checkpoint.planned_due
        ):
            to_delete.append(checkpoint.pk)
        else:
            # Acted on, or in a closed reporting period: kept as it is and flagged for staff.
            mismatch = (
                f"Срок мероприятия изменён на «{activity.deadline_text}»; этого периода в нём больше нет."
            )
            if checkpoint.schedule_mismatch != mismatch:
                checkpoint.schedule_mismatch = mismatch
                checkpoint.save(update_fields=["schedule_mismatch"])
    if to_delete:
        Checkpoint.objects.filter(pk__in=to_delete).delete()

    Checkpoint.objects.bulk_create(
        Checkpoint(activity=activity, planned_start=o.start, planned_due=o.due, period_label=o.label[:100])
        for o in wanted.values()
    )
    _renumber(activity)
    # The queryset update, bulk_create and bulk_update above send no signals.
    roadmaps_data_changed([activity.roadmap_id])
    return schedule


def _renumber(activity: Activity) -> None:
    checkpoints = sorted(
        activity.checkpoints.all(),
        key=lambda c: (c.planned_due or c.planned_start or datetime.date.max, c.pk),
    )
    changed = []
    for sequence, checkpoint in enumerate(checkpoints, start=1):
        if checkpoint.sequence != sequence:
            checkpoint.sequence = sequence
            changed.append(checkpoint)
    Checkpoint.objects.bulk_update(changed, ["sequence"])


def _planned(activity: Activity, schedule: Schedule) -> list[Checkpoint]:
    """A new activity's checkpoints: one per distinct occurrence, numbered in date order like `_renumber`."""
    wanted = {_key(o.start, o.due, o.label): o for o in schedule.occurrences}
    ordered = sorted(wanted.values(), key=lambda o: o.due or o.start or datetime.date.max)  # stable: pk order
    return [
        Checkpoint(
            activity=activity,
            sequence=sequence,
            planned_start=o.start,
            planned_due=o.due,
            period_label=o.label[:100],
        )
        for sequence, o in enumerate(ordered, start=1)
    ]


def activities_schedule(activities: list[Activity]) -> list[Schedule]:
    """Many at once, before the activities are inserted: each one's deadline parsed over its roadmap's
    period into its schedule fields, as `activity_sync_checkpoints` does. Returns the schedules."""
    schedules = []
    for activity in activities:
        schedule = parse_deadline(activity.deadline_text, period=activity.roadmap.period)
        _apply_schedule_fields(activity, schedule)
        schedules.append(schedule)
    return schedules


@transaction.atomic
def activities_create_checkpoints(
    *, activities: list[Activity], schedules: list[Schedule]
) -> list[Checkpoint]:
    """Many at once: the checkpoints of newly created activities (none of their own yet) — the ones
    `activity_sync_checkpoints` would make one activity at a time — inserted in batches. Returns them."""
    checkpoints = [
        checkpoint
        for activity, schedule in zip(activities, schedules, strict=True)
        for checkpoint in _planned(activity, schedule)
    ]
    created = Checkpoint.objects.bulk_create(checkpoints, batch_size=2000)
    roadmaps_data_changed({activity.roadmap_id for activity in activities})  # bulk_create sends no signals
    return created
