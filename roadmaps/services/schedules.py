"""Deadline wording → checkpoints, without ever losing what a coordinator has reported.

One plan (`ScheduleChange`) serves both the preview shown before a new deadline is saved and the sync
that applies it, so what the person confirmed is what happens.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction

from roadmaps import outcomes
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.deadlines import Occurrence, Schedule, format_date, parse_deadline
from roadmaps.models import Activity, Checkpoint
from roadmaps.services import lifecycle, notices


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


@dataclass(frozen=True)
class ScheduleChange:
    """What making an activity's checkpoints follow `schedule` does to them."""

    schedule: Schedule
    kept: tuple[Checkpoint, ...] = ()
    added: tuple[Occurrence, ...] = ()
    moved: tuple[tuple[Checkpoint, Occurrence], ...] = ()
    removed: tuple[Checkpoint, ...] = ()
    mismatched: tuple[Checkpoint, ...] = ()  # acted on, or in a closed period: kept, flagged for staff

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.moved or self.removed or self.mismatched)

    @property
    def fingerprint(self) -> str:
        """Names this plan: a confirmation given for another plan (the checkpoints changed meanwhile)
        is asked again."""
        parts = [
            *(f"+{o}" for o in self.added),
            *(f"~{c.pk}:{o}" for c, o in self.moved),
            *(f"-{c.pk}" for c in self.removed),
            *(f"!{c.pk}" for c in self.mismatched),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class ScheduleChangeUnconfirmed(Exception):
    """A new deadline would change checkpoints (or meet a hand-set schedule) and the person has not
    confirmed this very plan: nothing was saved; `change` is what to show them."""

    def __init__(self, change: ScheduleChange, *, by_hand: bool):
        super().__init__("Изменение срока не подтверждено.")
        self.change, self.by_hand = change, by_hand


def require_confirmed_change(activity: Activity, *, confirmation: str) -> None:
    """Refuse a new deadline unless `confirmation` is the fingerprint of what it does to the checkpoints;
    one that changes nothing of an automatic schedule needs none."""
    change = schedule_change_preview(activity=activity, deadline_text=activity.deadline_text)
    if (change.changes_anything or activity.schedule_by_hand) and confirmation != change.fingerprint:
        raise ScheduleChangeUnconfirmed(change, by_hand=activity.schedule_by_hand)


def _due_order(checkpoint: Checkpoint) -> tuple:
    return (checkpoint.planned_due or checkpoint.planned_start or datetime.date.max, checkpoint.pk or 0)


def _plan(activity: Activity, schedule: Schedule, existing: list[Checkpoint]) -> ScheduleChange:
    wanted: dict[tuple, Occurrence] = {_key(o.start, o.due, o.label): o for o in schedule.occurrences}
    closed = lifecycle.closed_days(activity.roadmap) if existing else lifecycle.ClosedDays(())
    kept, loose, mismatched = [], [], []
    for checkpoint in sorted(existing, key=_due_order):
        key = _key(checkpoint.planned_start, checkpoint.planned_due, checkpoint.period_label)
        if key in wanted:
            wanted.pop(key)
            kept.append(checkpoint)
        elif checkpoint.status == outcomes.PLANNED and not closed.closing(
            checkpoint.pk, checkpoint.planned_due
        ):
            loose.append(checkpoint)
        else:
            mismatched.append(checkpoint)
    added = sorted(wanted.values(), key=lambda o: o.sort_key)
    # A planned checkpoint whose period is still there under another date moves; when as many go as come,
    # the rest move in date order (a year shifted, a day changed) rather than being deleted and re-added.
    moved = []
    for checkpoint in list(loose):
        same = next((o for o in added if o.label == checkpoint.period_label), None)
        if same is not None:
            moved.append((checkpoint, same))
            loose.remove(checkpoint)
            added.remove(same)
    if len(loose) == len(added):
        moved.extend(zip(loose, added, strict=True))
        loose, added = [], []
    return ScheduleChange(
        schedule=schedule, kept=tuple(kept), added=tuple(added), moved=tuple(moved), removed=tuple(loose),
        mismatched=tuple(mismatched),
    )  # fmt: skip


def schedule_change_preview(*, activity: Activity, deadline_text: str) -> ScheduleChange:
    """What saving `deadline_text` as the activity's deadline would do to its checkpoints; writes nothing.

    Queries: checkpoints; closed periods (and their reopened checkpoints) when there are any."""
    schedule = parse_deadline(deadline_text, period=activity.roadmap.period)
    return _plan(activity, schedule, list(activity.checkpoints.all()))


def _mismatch_text(activity: Activity) -> str:
    return f"Срок мероприятия изменён на «{activity.deadline_text}»; этого периода в нём больше нет."


@transaction.atomic
def activity_sync_checkpoints(*, activity: Activity, actor=None) -> Schedule:
    """Parse the activity's deadline over its roadmap's period and make its checkpoints match.

    Planned checkpoints follow the schedule (kept when unchanged, moved when their period got another
    date, otherwise removed or added). Checkpoints someone has acted on — reported, done, returned or
    cancelled — are never deleted or moved; when the schedule no longer has their period they are flagged
    with a mismatch for staff to resolve (roadmaps.services.checkpoints, «Расхождения»).
    """
    schedule = activity_describe_schedule(activity=activity)
    if activity.schedule_by_hand:  # regenerating: from now on the checkpoints follow the wording again
        activity.schedule_by_hand = False
        Activity.objects.filter(pk=activity.pk).update(schedule_by_hand=False)
    # Locked: a report or a hand move of one of them, made meanwhile, waits and is not planned over.
    change = _plan(activity, schedule, list(activity.checkpoints.select_for_update()))
    for checkpoint in change.kept:
        if checkpoint.schedule_mismatch:
            checkpoint.schedule_mismatch = ""
            checkpoint.save(update_fields=["schedule_mismatch"])
    told = [
        f"«{c.period_label}», срок {shown_date(c.planned_due)} → «{o.label[:100]}», срок {shown_date(o.due)}"
        for c, o in change.moved
    ]
    told += [
        f"снята контрольная точка «{c.period_label}», срок {shown_date(c.planned_due)}"
        for c in change.removed
    ]
    told += [f"новая контрольная точка «{o.label[:100]}», срок {shown_date(o.due)}" for o in change.added]
    for checkpoint, occurrence in change.moved:
        checkpoint.planned_start, checkpoint.planned_due = occurrence.start, occurrence.due
        checkpoint.period_label, checkpoint.schedule_mismatch = occurrence.label[:100], ""
        checkpoint._history_user = actor
        checkpoint.save(update_fields=["planned_start", "planned_due", "period_label", "schedule_mismatch"])
    mismatch = _mismatch_text(activity)
    for checkpoint in change.mismatched:
        if checkpoint.schedule_mismatch != mismatch:
            checkpoint.schedule_mismatch = mismatch
            checkpoint.save(update_fields=["schedule_mismatch"])
    if change.removed:
        Checkpoint.objects.filter(pk__in=[c.pk for c in change.removed]).delete()
    Checkpoint.objects.bulk_create(
        Checkpoint(activity=activity, planned_start=o.start, planned_due=o.due, period_label=o.label[:100])
        for o in change.added
    )
    renumber_checkpoints(activity)
    # The queryset update, bulk_create and bulk_update above send no signals.
    roadmaps_data_changed([activity.roadmap_id])
    notices.deadline_changed(activity=activity, changes=told, actor=actor)
    return schedule


def shown_date(day: datetime.date | None) -> str:
    """A checkpoint's date as the edition log and the notices say it."""
    return format_date(day) if day else "не задан"


def mismatch_target(checkpoint: Checkpoint, siblings: list[Checkpoint]) -> Checkpoint | None:
    """Where «перенести на новый срок» takes a mismatched checkpoint: the planned checkpoint of its activity,
    never reported on, that the new deadline brought — of the same period label if there is one, else the
    nearest by date. None when the new deadline left no such checkpoint."""
    free = [
        c for c in siblings
        if c.pk != checkpoint.pk and c.status == outcomes.PLANNED and c.reported_at is None
        and not c.schedule_mismatch
    ]  # fmt: skip
    if not free:
        return None
    same = [c for c in free if c.period_label == checkpoint.period_label]
    old = checkpoint.planned_due or checkpoint.planned_start or datetime.date.min
    return min(same or free, key=lambda c: (abs(((c.planned_due or datetime.date.max) - old).days), c.pk))


def renumber_checkpoints(activity: Activity) -> None:
    """Number the activity's checkpoints 1, 2, … in date order."""
    checkpoints = sorted(activity.checkpoints.all(), key=_due_order)
    changed = []
    for sequence, checkpoint in enumerate(checkpoints, start=1):
        if checkpoint.sequence != sequence:
            checkpoint.sequence = sequence
            changed.append(checkpoint)
    Checkpoint.objects.bulk_update(changed, ["sequence"])


def _planned(activity: Activity, schedule: Schedule) -> list[Checkpoint]:
    """A new activity's checkpoints: one per distinct occurrence, in date order as `renumber_checkpoints`."""
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
