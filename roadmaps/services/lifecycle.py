"""What a roadmap's lifecycle and closed periods allow: the one place every service asks before a write.

- A draft changes freely; an approved roadmap changes only within its draft edition («редакция»), and
  each change is listed on the edition; an archived roadmap is read-only for everyone.
- Checkpoints of a draft or archived roadmap cannot be reported on; checkpoints due in a closed reporting
  period cannot be reported, accepted, returned, cancelled or moved until staff reopen the period or them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from roadmaps.models import Checkpoint, CheckpointReopening, ClosedPeriod, Revision, RevisionChange, Roadmap

ARCHIVED_MESSAGE = (
    "Дорожная карта в архиве: она доступна только для чтения. Верните её из архива, чтобы изменить."
)
APPROVED_MESSAGE = (
    "Дорожная карта утверждена: изменения вносятся только в редакции. "
    "Откройте редакцию (акт, дата, что меняется) на странице дорожной карты и внесите изменения в неё."
)
NOT_REPORTABLE_MESSAGE = "По черновику дорожной карты не отчитываются: она ещё не утверждена."


class RoadmapLocked(PermissionDenied):
    """The roadmap's state forbids the change (answered 403 with the message)."""


def require_not_archived(roadmap: Roadmap) -> None:
    if roadmap.status == Roadmap.Status.ARCHIVED:
        raise RoadmapLocked(ARCHIVED_MESSAGE)


def draft_edition(roadmap: Roadmap) -> Revision | None:
    return roadmap.revisions.filter(status=Revision.Status.DRAFT).first()


def structure_edition(roadmap: Roadmap) -> Revision | None:
    """The edition a change to the roadmap's passport, sections, activities, deadlines, responsibilities
    or indicators is recorded in: None for a draft roadmap; refused when archived or approved without a
    draft edition."""
    require_not_archived(roadmap)
    if roadmap.status == Roadmap.Status.DRAFT:
        return None
    edition = draft_edition(roadmap)
    if edition is None:
        raise RoadmapLocked(APPROVED_MESSAGE)
    return edition


class DeadlineProblems(ValidationError):
    """Approving would put activities whose deadlines need a person in force: listed, to be confirmed."""

    def __init__(self, activities: list):
        self.activities = activities
        super().__init__(
            "Сроки некоторых мероприятий требуют проверки. Исправьте их или подтвердите утверждение как есть."
        )


def deadline_problems(roadmap: Roadmap) -> list:
    """The roadmap's activities that would be in «Требует проверки» once it is approved, each with
    `reasons`. One query."""
    activities = list(roadmap.activities.needing_review(as_approved=True).in_roadmap_order())
    for activity in activities:
        activity.reasons = activity.review_reasons(has_checkpoints=activity.has_checkpoints, approved=True)
    return activities


def require_deadlines_checked(roadmap: Roadmap, *, confirmed: bool) -> None:
    """Approval goes on past deadline problems only once the person has seen them and confirmed."""
    if not confirmed and (activities := deadline_problems(roadmap)):
        raise DeadlineProblems(activities)


def record_change(edition: Revision | None, *, actor, subject: str, description: str) -> None:
    """List a change on the draft edition it was made in (nothing to list for a draft roadmap)."""
    if edition is not None:
        RevisionChange.objects.create(
            revision=edition, subject=subject[:300], description=description, actor=actor
        )


# --- Closed periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosedDays:
    """The closed periods that cover a roadmap, read once, to test many checkpoints against."""

    periods: tuple[tuple[int, datetime.date, datetime.date, str, frozenset[int]], ...]

    def closing(self, checkpoint_id: int | None, due: datetime.date | None) -> str | None:
        """The label of the closed period `due` falls in, unless the checkpoint was reopened in it."""
        if due is None:
            return None
        for _pk, first, last, label, reopened in self.periods:
            if first <= due <= last and checkpoint_id not in reopened:
                return label
        return None


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def closed_periods_of(roadmap: Roadmap) -> QuerySet[ClosedPeriod]:
    """Closed periods in force for the roadmap: its own, and those closed for an organisation above it."""
    return ClosedPeriod.objects.filter(reopened_at__isnull=True).filter(
        Q(roadmap_id=roadmap.pk) | Q(organization_id__in=_ancestor_ids(roadmap.owner.path))
    )


def closed_days(roadmap: Roadmap) -> ClosedDays:
    """Two queries: the periods and the checkpoints reopened in them."""
    periods = list(closed_periods_of(roadmap).values_list("pk", "first_day", "last_day", "label"))
    reopened: dict[int, set[int]] = {pk: set() for pk, *_rest in periods}
    if periods:
        for period_id, checkpoint_id in CheckpointReopening.objects.filter(
            period_id__in=list(reopened)
        ).values_list("period_id", "checkpoint_id"):
            reopened[period_id].add(checkpoint_id)
    return ClosedDays(
        tuple((pk, first, last, label, frozenset(reopened[pk])) for pk, first, last, label in periods)
    )


def require_open_period(checkpoint: Checkpoint, *, roadmap: Roadmap | None = None) -> None:
    label = closed_days(roadmap or checkpoint.activity.roadmap).closing(checkpoint.pk, checkpoint.planned_due)
    if label:
        raise ValidationError(
            f"Отчётный период «{label}» закрыт: контрольную точку со сроком "
            f"{checkpoint.planned_due:%d.%m.%Y} изменить нельзя, пока сотрудники не откроют период или её."
        )


def require_decidable(checkpoint: Checkpoint) -> None:
    """Staff may accept, return, cancel or restore: the roadmap is not archived and the period is open
    (a draft is allowed, so staff can verify the facts an imported document brought)."""
    roadmap = checkpoint.activity.roadmap
    require_not_archived(roadmap)
    require_open_period(checkpoint, roadmap=roadmap)


def require_reportable(checkpoint: Checkpoint) -> None:
    """A coordinator may report: the roadmap is approved (not a draft, not archived), the period open."""
    if checkpoint.activity.roadmap.status == Roadmap.Status.DRAFT:
        raise RoadmapLocked(NOT_REPORTABLE_MESSAGE)
    require_decidable(checkpoint)
