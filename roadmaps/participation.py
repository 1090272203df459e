"""Which organisations take part in a roadmap (`RoadmapParticipant`), kept in step with responsibilities.

Bookkeeping that must not know the caller, like roadmaps/data_version.py: receivers follow single saves
and deletes of responsibilities; bulk writes (imports, generated data) call `participants_rebuild` for
the roadmaps they wrote. Visibility (`RoadmapQuerySet.visible_in`) reads only this table.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_delete

from roadmaps.models import Activity, Responsibility, RoadmapParticipant


def participants_rebuild(roadmap_ids: Iterable[int] | None = None) -> None:
    """Recompute the participants of the given roadmaps (all roadmaps when None) in two statements."""
    participants = RoadmapParticipant._meta.db_table
    responsibilities = Responsibility._meta.db_table
    activities = Activity._meta.db_table
    where, params = "", []
    if roadmap_ids is not None:
        ids = list(roadmap_ids)
        if not ids:
            return
        where = f" WHERE a.roadmap_id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
        RoadmapParticipant.objects.filter(roadmap_id__in=ids).delete()
    else:
        RoadmapParticipant.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {participants} (roadmap_id, organization_id) "
            f"SELECT DISTINCT a.roadmap_id, r.organization_id FROM {responsibilities} r "
            f"JOIN {activities} a ON a.id = r.activity_id{where}",
            params,
        )


def _roadmap_of(responsibility: Responsibility) -> int | None:
    return Activity.objects.filter(pk=responsibility.activity_id).values_list("roadmap_id", flat=True).first()


def _responsibility_saved(sender, instance: Responsibility, **kwargs) -> None:
    roadmap_id = _roadmap_of(instance)
    if roadmap_id is not None:
        RoadmapParticipant.objects.get_or_create(
            roadmap_id=roadmap_id, organization_id=instance.organization_id
        )


def _responsibility_deleting(sender, instance: Responsibility, **kwargs) -> None:
    # Before the delete, while its activity still exists (a cascade deletes the activity too).
    instance._participant_roadmap_id = _roadmap_of(instance)


def _responsibility_deleted(sender, instance: Responsibility, **kwargs) -> None:
    roadmap_id = getattr(instance, "_participant_roadmap_id", None)
    if roadmap_id is None:
        return
    still = Responsibility.objects.filter(
        organization_id=instance.organization_id, activity__roadmap_id=roadmap_id
    )
    if not still.exists():
        RoadmapParticipant.objects.filter(
            roadmap_id=roadmap_id, organization_id=instance.organization_id
        ).delete()


def connect_receivers() -> None:
    """Called once from RoadmapsConfig.ready()."""
    post_save.connect(_responsibility_saved, sender=Responsibility, dispatch_uid="participant_saved")
    pre_delete.connect(_responsibility_deleting, sender=Responsibility, dispatch_uid="participant_deleting")
    post_delete.connect(_responsibility_deleted, sender=Responsibility, dispatch_uid="participant_deleted")
