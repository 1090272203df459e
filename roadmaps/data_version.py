"""A roadmap's data version: a fresh random token after every write to anything a report of it reads.

Report runs hand out an earlier file while the data versions of its roadmaps are unchanged
(reports/services/fingerprint.py), so every write must move them, in the same transaction:

- single saves and deletes do it through the receivers below, bookkeeping that does not know the caller;
- bulk writes send no signals (queryset ``update()``, ``bulk_create``, ``bulk_update``, raw SQL), so the code
  doing one calls ``roadmaps_data_changed`` (or ``organizations_data_changed``) right after it.

Each receiver issues one UPDATE filtered through a join or subquery; related rows are never loaded.
The token is random, not a counter: a stale in-memory roadmap saved again cannot bring back an old value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_save, pre_delete, pre_save

from organizations.models import Organization, Region
from projects.models import Project
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.models.roadmap import new_data_version


def roadmaps_data_changed(roadmaps: QuerySet[Roadmap] | Iterable[int]) -> int:
    """Give the roadmaps (a Roadmap queryset, or ids) a fresh data version in one UPDATE; returns how many."""
    if not isinstance(roadmaps, QuerySet):
        roadmaps = Roadmap.objects.filter(pk__in=list(roadmaps))
    return roadmaps.update(data_version=new_data_version())


def _roadmaps_of_organizations(organizations: QuerySet | list[int]) -> QuerySet[Roadmap]:
    # A report prints its owner, its responsible organisations and its project's coordinator. Subqueries,
    # not joins, so each branch of the OR can use its own index.
    responsible_in = Responsibility.objects.filter(organization__in=organizations).values(
        "activity__roadmap_id"
    )
    coordinated = Project.objects.filter(coordinator__in=organizations).values("pk")
    return Roadmap.objects.filter(
        Q(owner__in=organizations) | Q(pk__in=responsible_in) | Q(project__in=coordinated)
    )


def organizations_data_changed(organizations: QuerySet[Organization]) -> int:
    """Move the data version of every roadmap the organisations own, are responsible in or coordinate."""
    return roadmaps_data_changed(_roadmaps_of_organizations(organizations.values("pk")))


# Content model → the roadmaps one of its rows belongs to, as a queryset (never evaluated in Python).
_ROADMAPS_OF: dict[type[Model], Callable[[Any], QuerySet[Roadmap]]] = {
    Section: lambda section: Roadmap.objects.filter(pk=section.roadmap_id),
    Activity: lambda activity: Roadmap.objects.filter(pk=activity.roadmap_id),
    Responsibility: lambda item: Roadmap.objects.filter(activities=item.activity_id),
    Checkpoint: lambda checkpoint: Roadmap.objects.filter(activities=checkpoint.activity_id),
    CheckpointTransition: lambda item: Roadmap.objects.filter(activities__checkpoints=item.checkpoint_id),
    Evidence: lambda evidence: Roadmap.objects.filter(activities__checkpoints=evidence.checkpoint_id),
    Indicator: lambda indicator: Roadmap.objects.filter(pk=indicator.roadmap_id),
    IndicatorTarget: lambda target: Roadmap.objects.filter(indicators=target.indicator_id),
    IndicatorValue: lambda value: Roadmap.objects.filter(indicators=value.indicator_id),
    Revision: lambda revision: Roadmap.objects.filter(pk=revision.roadmap_id),
    LegalAct: lambda act: Roadmap.objects.filter(
        Q(approved_by_act=act.pk) | Q(pk__in=Revision.objects.filter(act=act.pk).values("roadmap_id"))
    ),
    Organization: lambda organization: _roadmaps_of_organizations([organization.pk]),
    Region: lambda region: Roadmap.objects.filter(owner__region=region.pk),
    Project: lambda project: Roadmap.objects.filter(project=project.pk),
}

# Referenced by roadmaps, never part of one: a new row cannot be in any report yet.
_REFERENCED = (LegalAct, Organization, Region, Project)


def _content_saved(sender, instance, created: bool = False, **kwargs) -> None:
    if created and sender in _REFERENCED:
        return
    roadmaps_data_changed(_ROADMAPS_OF[sender](instance))


def _content_deleting(sender, instance, **kwargs) -> None:
    # pre_delete, not post_delete: in a cascade every row the join goes through still exists here, and
    # the collector sends it inside the deleting transaction.
    roadmaps_data_changed(_ROADMAPS_OF[sender](instance))


def _roadmap_saving(sender, instance: Roadmap, update_fields=None, **kwargs) -> None:
    instance.data_version = new_data_version()
    if update_fields is not None and "data_version" not in update_fields and instance.pk is not None:
        # A save limited to some fields would leave the new token unwritten.
        Roadmap.objects.filter(pk=instance.pk).update(data_version=instance.data_version)


def connect_receivers() -> None:
    """Called once from RoadmapsConfig.ready()."""
    pre_save.connect(_roadmap_saving, sender=Roadmap, dispatch_uid="roadmap_data_version")
    for model in _ROADMAPS_OF:
        uid = f"data_version_{model._meta.label_lower}"
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"{uid}_saved")
        pre_delete.connect(_content_deleting, sender=model, dispatch_uid=f"{uid}_deleting")
