import datetime

from django.db import transaction

from organizations.models import Organization
from roadmaps.models import LegalAct, Revision, Roadmap
from roadmaps.services._common import save_with_history
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
def roadmap_update(*, actor, roadmap: Roadmap, **fields) -> Roadmap:
    """Change a roadmap's fields; a new period regenerates every activity's checkpoints."""
    old_period = roadmap.period
    for name, value in fields.items():
        if name not in ROADMAP_FIELDS:
            raise ValueError(f"roadmap field {name!r} is not editable here")
        setattr(roadmap, name, value)
    save_with_history(roadmap, actor=actor)
    if roadmap.period != old_period:
        for activity in roadmap.activities.select_related("roadmap"):
            activity_sync_checkpoints(activity=activity)
    return roadmap


@transaction.atomic
def roadmap_approve(*, actor, roadmap: Roadmap, act: LegalAct) -> Roadmap:
    """Approve a draft with the legal act that approved it."""
    if act.pk is None:
        act.full_clean()
        act.save()
    roadmap.status = Roadmap.Status.APPROVED
    roadmap.approved_by_act = act
    save_with_history(roadmap, actor=actor)
    return roadmap


@transaction.atomic
def roadmap_archive(*, actor, roadmap: Roadmap) -> Roadmap:
    roadmap.status = Roadmap.Status.ARCHIVED
    save_with_history(roadmap, actor=actor)
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
