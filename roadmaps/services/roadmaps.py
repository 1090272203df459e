import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organizations.models import Organization
from roadmaps.models import LegalAct, Revision, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services._common import lock_for_edit, save_with_history
from roadmaps.services.schedules import activity_sync_checkpoints

ROADMAP_FIELDS = ("title", "level", "project", "year_start", "year_end", "goal", "tasks", "expected_results")


@transaction.atomic
def roadmap_create(
    *, actor, owner: Organization, title: str, year_start: int, year_end: int, **fields
) -> Roadmap:
    """Create a draft roadmap owned by `owner`."""
    roadmap = Roadmap(owner=owner, title=title, year_start=year_start, year_end=year_end, **fields)
    save_with_history(roadmap, actor=actor)
    return roadmap


@transaction.atomic
def roadmap_update(*, actor, roadmap: Roadmap, expected_version: int | str | None, **fields) -> Roadmap:
    """Change a roadmap's passport on top of `expected_version` (refused if someone saved in between);
    a new period regenerates every activity's checkpoints. Returns the saved roadmap (the instance passed
    in is left as it was)."""
    roadmap = lock_for_edit(Roadmap.objects.all(), pk=roadmap.pk, expected_version=expected_version)
    edition = lifecycle.structure_edition(roadmap)
    old_period = roadmap.period
    changed = []
    for name, value in fields.items():
        if name not in ROADMAP_FIELDS:
            raise ValueError(f"roadmap field {name!r} is not editable here")
        if getattr(roadmap, name) != value:
            changed.append(str(Roadmap._meta.get_field(name).verbose_name))
        setattr(roadmap, name, value)
    save_with_history(roadmap, actor=actor)
    if changed:
        lifecycle.record_change(
            edition,
            actor=actor,
            subject="Паспорт дорожной карты",
            description="Изменено: " + ", ".join(changed),
        )
    if roadmap.period != old_period:
        for activity in roadmap.activities.select_related("roadmap"):
            activity_sync_checkpoints(activity=activity)
    return roadmap


@transaction.atomic
def roadmap_approve(
    *, actor, roadmap: Roadmap, act: LegalAct, confirm_deadline_problems: bool = False
) -> Roadmap:
    """Approve a draft with the legal act that approved it. Deadlines that need a person are listed and
    refused (`lifecycle.DeadlineProblems`) until the approval is confirmed with them."""
    if roadmap.status != Roadmap.Status.DRAFT:
        raise ValidationError("Утвердить можно только черновик.")
    lifecycle.require_deadlines_checked(roadmap, confirmed=confirm_deadline_problems)
    if act.pk is None:
        act.full_clean()
        act.save()
    roadmap.status = Roadmap.Status.APPROVED
    roadmap.approved_by_act = act
    save_with_history(roadmap, actor=actor)
    return roadmap


@transaction.atomic
def roadmap_archive(*, actor, roadmap: Roadmap, reason: str = "") -> Roadmap:
    """Make the roadmap read-only everywhere; it leaves «Мои мероприятия», reminders and overdue counts.

    An open draft edition stays open: it is read-only with the roadmap and resumes when it comes back."""
    roadmap = _locked(roadmap)
    lifecycle.require_not_archived(roadmap)
    roadmap.status = Roadmap.Status.ARCHIVED
    save_with_history(roadmap, actor=actor, reason=reason or "перенесена в архив")
    return roadmap


@transaction.atomic
def roadmap_unarchive(*, actor, roadmap: Roadmap, reason: str) -> Roadmap:
    """Bring an archived roadmap back (approved if it has its act, else a draft); the reason is kept."""
    roadmap = _locked(roadmap)
    if roadmap.status != Roadmap.Status.ARCHIVED:
        raise ValidationError("Дорожная карта не в архиве.")
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, почему дорожная карта возвращается из архива."})
    roadmap.status = Roadmap.Status.APPROVED if roadmap.approved_by_act_id else Roadmap.Status.DRAFT
    save_with_history(roadmap, actor=actor, reason=f"возвращена из архива: {reason.strip()}")
    return roadmap


@transaction.atomic
def revision_record(
    *, actor, roadmap: Roadmap, date: datetime.date, summary: str, act: LegalAct | None = None
) -> Revision:
    """Record an amendment («редакция»): the act and what it changed."""
    if act is not None and act.pk is None:
        act.full_clean()
        act.save()
    revision = Revision(roadmap=roadmap, act=act, date=date, summary=summary, created_by=actor)
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def revision_open(
    *, actor, roadmap: Roadmap, date: datetime.date, summary: str, act: LegalAct | None = None
) -> Revision:
    """Open the draft edition of an approved roadmap: its changes are made within it until it is put
    in force. One draft edition per roadmap at a time."""
    lifecycle.require_not_archived(roadmap)
    if roadmap.status != Roadmap.Status.APPROVED:
        raise ValidationError("Редакцию открывают для утверждённой дорожной карты; черновик правят напрямую.")
    Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()  # one opener at a time
    if lifecycle.draft_edition(roadmap) is not None:
        raise ValidationError("У дорожной карты уже открыта редакция: внесите изменения в неё.")
    if act is not None and act.pk is None:
        act.full_clean()
        act.save()
    revision = Revision(
        roadmap=roadmap, act=act, date=date, summary=summary, created_by=actor, status=Revision.Status.DRAFT
    )
    revision.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError as exc:  # the one-draft constraint, should the lock above be bypassed
        raise ValidationError("У дорожной карты уже открыта редакция: внесите изменения в неё.") from exc
    return revision


@transaction.atomic
def revision_put_in_force(*, actor, revision: Revision) -> Revision:
    """Close a draft edition: its changes stand, and further changes need a new edition."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != Revision.Status.DRAFT:
        raise ValidationError("Эта редакция уже действует.")
    revision.status = Revision.Status.IN_FORCE
    revision.full_clean(validate_constraints=False)
    revision.save(update_fields=["status"])
    return revision


def _locked(roadmap: Roadmap) -> Roadmap:
    """The roadmap re-read under a row lock: of two simultaneous status changes the second sees the first."""
    return Roadmap.objects.select_for_update().get(pk=roadmap.pk)
