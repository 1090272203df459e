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


def activity_describe_schedule(*, activity: Activity) -> Schedule:
    """Parse the deadline and store its kind, description and problems; the checkpoints are not touched
    (what a hand-set schedule gets when its wording is edited without regenerating)."""
    schedule = parse_deadline(activity.deadline_text, period=activity.roadmap.period)
    _apply_schedule_fields(activity, schedule)
    Activity.objects.filter(pk=activity.pk).update(
        schedule_kind=activity.schedule_kind,
        schedule_description=activity.schedule_description,
        schedule_problems=activity.schedule_problems,
    )
    return schedule


@transaction.atomic
def activity_sync_checkpoints(*, activity: Activity) -> Schedule:
    """Parse the activity's deadline over its roadmap's period and make its checkpoints match.

    Planned checkpoints follow the schedule (kept when unchanged, otherwise removed or added). Checkpoints
    someone has acted on — reported, done, returned or cancelled — are never deleted or moved; when the
    schedule no longer has their period they are flagged with a mismatch for staff to resolve.
    """
    schedule = activity_describe_schedule(activity=activity)
    if activity.schedule_by_hand:  # regenerating: from now on the checkpoints follow the wording again
        activity.schedule_by_hand = False
        Activity.objects.filter(pk=activity.pk).update(schedule_by_hand=False)

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
    renumber_checkpoints(activity)
    # The queryset update, bulk_create and bulk_update above send no signals.
    roadmaps_data_changed([activity.roadmap_id])
    return schedule


def renumber_checkpoints(activity: Activity) -> None:
    """Number the activity's checkpoints 1, 2, … in date order."""
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
