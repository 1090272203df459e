"""Many decisions at once from the verification queue: accept, or return with one reason.

The same rules as `checkpoint_accept` / `checkpoint_return` (a reported checkpoint, a roadmap not archived,
an open period), under the same row locks — taken for all chosen rows in one SELECT … FOR UPDATE in pk
order, so a bulk decision and a single one on the same checkpoint serialise and exactly one of them happens.
What is no longer «на проверке» (or cannot be decided) is skipped and counted, never an error for the rest.

The writes are batched, not per item: the rows share every value a decision sets, so one UPDATE; their
history rows and transitions in bulk inserts; one data-version step for the roadmaps touched; the returned
reports' notices in one `notify_each`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from organizations.models import Membership
from organizations.notifications import Event, Message, notify_each
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import (
    Checkpoint,
    CheckpointReopening,
    CheckpointTransition,
    ClosedPeriod,
    Evidence,
    Responsibility,
    Roadmap,
)
from roadmaps.services import lifecycle

Status = Checkpoint.Status
# Rows per INSERT of history and transitions; a decision on thousands stays a handful of statements.
BATCH = 1000
# «Все N по фильтру» decides on at most this many in one request; the rest stay for the next one.
MAX_BULK = 2000


@dataclass
class BulkOutcome:
    """What a bulk decision did: the checkpoints decided, and those skipped with why."""

    decided: list[Checkpoint] = field(default_factory=list)
    not_reported: int = 0  # no longer «на проверке»: someone decided it, or it was re-reported
    locked: int = 0  # an archived roadmap or a closed period
    missing: int = 0  # removed meanwhile

    @property
    def skipped(self) -> int:
        return self.not_reported + self.locked + self.missing


def _closed_days(roadmaps: Iterable[Roadmap]) -> dict[int, lifecycle.ClosedDays]:
    """`lifecycle.closed_days` for many roadmaps in two queries (the periods; the reopened checkpoints)."""
    roadmaps = list(roadmaps)
    ancestors = {rm.pk: [int(p) for p in rm.owner.path.strip("/").split("/") if p] for rm in roadmaps}
    periods = list(
        ClosedPeriod.objects.filter(reopened_at__isnull=True)
        .filter(
            Q(roadmap_id__in=list(ancestors))
            | Q(organization_id__in={pk for ids in ancestors.values() for pk in ids})
        )
        .values_list("pk", "roadmap_id", "organization_id", "first_day", "last_day", "label")
    )
    reopened: dict[int, set[int]] = defaultdict(set)
    if periods:
        for period_id, checkpoint_id in CheckpointReopening.objects.filter(
            period_id__in=[row[0] for row in periods]
        ).values_list("period_id", "checkpoint_id"):
            reopened[period_id].add(checkpoint_id)
    result = {}
    for roadmap in roadmaps:
        above = set(ancestors[roadmap.pk])
        result[roadmap.pk] = lifecycle.ClosedDays(
            tuple(
                (pk, first, last, label, frozenset(reopened[pk]))
                for pk, roadmap_id, organization_id, first, last, label in periods
                if roadmap_id == roadmap.pk or organization_id in above
            )
        )
    return result


def _lock_decidable(pks: Iterable[int], within: QuerySet[Checkpoint] | None) -> BulkOutcome:
    """The chosen checkpoints under their row locks (pk order), sorted into decidable and skipped; those
    outside `within` (the person's scope) count as missing, never as a reason to refuse the rest."""
    wanted = sorted({int(pk) for pk in pks})
    rows = list(
        (Checkpoint.objects.all() if within is None else within)
        .select_for_update(of=("self",))
        .select_related("activity__roadmap__owner")
        .filter(pk__in=wanted)
        .order_by("pk")
    )
    outcome = BulkOutcome(missing=len(wanted) - len(rows))
    reported = [row for row in rows if row.status == Status.REPORTED]
    outcome.not_reported = len(rows) - len(reported)
    closed = _closed_days({row.activity.roadmap_id: row.activity.roadmap for row in reported}.values())
    for row in reported:
        roadmap = row.activity.roadmap
        if roadmap.status == Roadmap.Status.ARCHIVED or closed[roadmap.pk].closing(row.pk, row.planned_due):
            outcome.locked += 1
        else:
            outcome.decided.append(row)
    return outcome


def _record(rows: list[Checkpoint], *, actor, status: str, at: datetime.datetime, note: str) -> None:
    Checkpoint.history.bulk_history_create(rows, default_user=actor, default_date=at, batch_size=BATCH)
    CheckpointTransition.objects.bulk_create(
        [CheckpointTransition(checkpoint=row, status=status, at=at, actor=actor, note=note) for row in rows],
        batch_size=BATCH,
    )
    roadmaps_data_changed({row.activity.roadmap_id for row in rows})  # the bulk writes send no signals


@transaction.atomic
def checkpoints_accept(
    *, actor, checkpoint_ids: Iterable[int], within: QuerySet[Checkpoint] | None = None
) -> BulkOutcome:
    """Staff accept many reports at once; each checkpoint's history and transitions record it."""
    outcome = _lock_decidable(checkpoint_ids, within)
    rows = outcome.decided
    if not rows:
        return outcome
    now = timezone.now()
    Checkpoint.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Status.DONE, verified_by=actor, verified_at=now, return_reason="", updated_at=now
    )
    for row in rows:
        row.status, row.verified_by, row.verified_at, row.return_reason = Status.DONE, actor, now, ""
    _record(rows, actor=actor, status=Status.DONE, at=now, note="")
    return outcome


@transaction.atomic
def checkpoints_return(
    *, actor, checkpoint_ids: Iterable[int], reason: str, within: QuerySet[Checkpoint] | None = None
) -> BulkOutcome:
    """Staff send many reports back with one reason; their coordinators hear of it as after a single one."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину возврата."})
    outcome = _lock_decidable(checkpoint_ids, within)
    rows = outcome.decided
    if not rows:
        return outcome
    now = timezone.now()
    pks = [row.pk for row in rows]
    Checkpoint.objects.filter(pk__in=pks).update(
        status=Status.RETURNED, verified_by=actor, verified_at=now, return_reason=reason, updated_at=now
    )
    for row in rows:
        row.status, row.verified_by, row.verified_at, row.return_reason = Status.RETURNED, actor, now, reason
    _record(rows, actor=actor, status=Status.RETURNED, at=now, note=reason)
    # The files of a returned report stay visible to the coordinator but never reach a federal reviewer.
    files = list(Evidence.objects.filter(checkpoint_id__in=pks, returned_at__isnull=True))
    if files:
        Evidence.objects.filter(pk__in=[item.pk for item in files]).update(returned_at=now)
        for item in files:
            item.returned_at = now
        Evidence.history.bulk_history_create(files, default_user=actor, default_date=now, batch_size=BATCH)
    _notify_returned(rows, actor=actor)
    return outcome


def _notify_returned(rows: list[Checkpoint], *, actor) -> None:
    """`notices.report_returned` for many: the sender and the responsible coordinators of each, batched."""
    coordinators: dict[int, set[int]] = defaultdict(set)
    for activity_id, user_id in Responsibility.objects.filter(
        activity_id__in={row.activity_id for row in rows},
        organization__memberships__role=Membership.Role.COORDINATOR,
    ).values_list("activity_id", "organization__memberships__user_id"):
        coordinators[activity_id].add(user_id)
    url = reverse("roadmaps:checkpoint-thread", args=[0]).removesuffix("0/")
    pairs = []
    for row in rows:
        recipients = set(coordinators.get(row.activity_id, ()))
        if row.reported_by_id:
            recipients.add(row.reported_by_id)
        activity = row.activity
        label = f" ({row.period_label})" if row.period_label else ""
        what = f"{activity.number} {activity.title[:150]}{label}".strip()
        message = Message(
            event=Event.REPORT_RETURNED,
            key=f"return:{row.pk}:{row.verified_at.isoformat()}",
            title=f"Отчёт возвращён на доработку: {what}",
            body=f"Причина: {row.return_reason}",
            url=f"{url}{row.pk}/",
        )
        pairs.append((message, recipients - {actor.pk}))
    notify_each(pairs)
