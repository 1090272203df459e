"""Closing and reopening reporting periods, and reopening single checkpoints within a closed one.

What a closed period forbids is decided in roadmaps/services/lifecycle.py; these functions only write the
periods and the reopenings it reads, each with the actor (and the reason) in history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from organizations.scope import user_scope
from roadmaps.models import Checkpoint, CheckpointReopening, ClosedPeriod, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services._common import save_with_history

NOT_STAFF_MESSAGE = "Закрывать и открывать отчётные периоды могут только сотрудники организации-владельца."
REOPENED_MESSAGE = "Период «{label}» уже открыт: его контрольные точки можно изменять."


def period_target(period: ClosedPeriod) -> Organization:
    """The organisation whose staff decide on the period: the roadmap's owner, or the organisation."""
    return period.roadmap.owner if period.roadmap_id else period.organization


def period_checkpoints(period: ClosedPeriod) -> QuerySet[Checkpoint]:
    """The checkpoints a period covers: due within its days, in its roadmap or in any roadmap owned within
    its organisation's subtree (the same reach as lifecycle.closed_periods_of)."""
    checkpoints = Checkpoint.objects.filter(
        planned_due__gte=period.first_day, planned_due__lte=period.last_day
    )
    if period.roadmap_id:
        return checkpoints.filter(activity__roadmap_id=period.roadmap_id)
    return checkpoints.filter(activity__roadmap__owner__path__startswith=period.organization.path)


def _require_staff(actor, organization: Organization) -> None:
    if not user_scope(actor).covers(organization.path, "staff"):
        raise PermissionDenied(NOT_STAFF_MESSAGE)


def _locked_period(period: ClosedPeriod, *, actor) -> ClosedPeriod:
    """The period re-read under its row lock, still closed, decided on by staff of its target."""
    current = (
        ClosedPeriod.objects.select_for_update(of=("self",))
        .select_related("roadmap__owner", "organization")
        .get(pk=period.pk)
    )
    _require_staff(actor, period_target(current))
    if current.roadmap_id:
        lifecycle.require_not_archived(current.roadmap)
    if not current.is_closed:
        raise ValidationError(REOPENED_MESSAGE.format(label=current.label))
    return current


def _lock_rows(rows: QuerySet) -> None:
    list(rows.select_for_update(of=("self",)).values_list("pk", flat=True))


def _lock_checkpoints(checkpoints: QuerySet[Checkpoint]) -> None:
    # A report, acceptance or return in flight holds its checkpoint's row lock (services/checkpoints.py):
    # waiting for it here means none of them can slip past a period that is being closed.
    _lock_rows(checkpoints)


@transaction.atomic
def period_close(
    *,
    actor,
    first_day: datetime.date,
    last_day: datetime.date,
    label: str,
    roadmap: Roadmap | None = None,
    organization: Organization | None = None,
) -> ClosedPeriod:
    """Close a reporting period for one roadmap or for every roadmap owned within an organisation's subtree.

    Refused when it overlaps a period already closed for the same target.
    """
    if (roadmap is None) == (organization is None):
        raise ValidationError("Укажите, для чего закрывается период: для дорожной карты или для организации.")
    if first_day > last_day:
        raise ValidationError({"last_day": "Окончание периода раньше его начала."})
    target = roadmap.owner if roadmap is not None else organization
    _require_staff(actor, target)
    if roadmap is not None:
        lifecycle.require_not_archived(roadmap)
        _lock_rows(Roadmap.objects.filter(pk=roadmap.pk))
    else:
        _lock_rows(Organization.objects.filter(pk=organization.pk))
    # The target's row lock above serialises two closes of the same target, so the overlap check holds.
    overlapping = (
        ClosedPeriod.objects.filter(roadmap=roadmap, organization=organization, reopened_at__isnull=True)
        .filter(first_day__lte=last_day, last_day__gte=first_day)
        .order_by("first_day")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            f"Период пересекается с уже закрытым периодом «{overlapping.label}» "
            f"({overlapping.first_day:%d.%m.%Y}–{overlapping.last_day:%d.%m.%Y}). "
            "Откройте тот период или выберите другие даты."
        )
    period = ClosedPeriod(
        roadmap=roadmap,
        organization=organization,
        first_day=first_day,
        last_day=last_day,
        label=label.strip(),
        closed_by=actor,
    )
    _lock_checkpoints(period_checkpoints(period))
    save_with_history(period, actor=actor, reason=f"Период закрыт: {period.label}")
    return period


@transaction.atomic
def period_reopen(*, actor, period: ClosedPeriod, reason: str) -> ClosedPeriod:
    """Open a closed period again: everything due in it may change as before."""
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, почему период открывается."})
    period = _locked_period(period, actor=actor)
    period.reopened_by = actor
    period.reopened_at = timezone.now()
    period.reopen_reason = reason.strip()
    save_with_history(period, actor=actor, reason=period.reopen_reason)
    return period


@transaction.atomic
def checkpoints_reopen(*, actor, period: ClosedPeriod, checkpoints: Iterable[Checkpoint], reason: str) -> int:
    """Let single checkpoints of a closed period change again; returns how many were newly reopened.

    Checkpoints the period does not cover, and those already reopened in it, are left as they are.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, почему контрольные точки открываются."})
    period = _locked_period(period, actor=actor)
    wanted = [checkpoint.pk for checkpoint in checkpoints]
    fresh = (
        period_checkpoints(period)
        .filter(pk__in=wanted)
        .exclude(reopenings__period=period)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reopenings = [
        CheckpointReopening(checkpoint_id=pk, period=period, reason=reason.strip(), actor=actor)
        for pk in fresh
    ]
    # The period's row lock serialises reopenings within it, so no row can appear twice.
    bulk_create_with_history(
        reopenings, CheckpointReopening, default_user=actor, default_change_reason=reason.strip()[:100]
    )
    return len(reopenings)


@transaction.atomic
def checkpoints_relock(
    *, actor, period: ClosedPeriod, checkpoints: Iterable[Checkpoint], reason: str = ""
) -> int:
    """Lock reopened checkpoints of a closed period again; returns how many were relocked."""
    period = _locked_period(period, actor=actor)
    wanted = [checkpoint.pk for checkpoint in checkpoints]
    reopenings = list(CheckpointReopening.objects.filter(period=period, checkpoint_id__in=wanted))
    _lock_checkpoints(Checkpoint.objects.filter(pk__in=[r.checkpoint_id for r in reopenings]))
    for reopening in reopenings:
        reopening._history_user = actor
        if reason.strip():
            reopening._change_reason = reason.strip()[:100]
        reopening.delete()
    return len(reopenings)
