"""The single door through which a user reaches a roadmap object.

Each helper answers 404 when the object is outside what the user may see (so foreign objects are not
even confirmed to exist) and 403 when the user sees it but their role does not allow the change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from organizations.scope import user_scope
from roadmaps.models import Activity, Checkpoint, Evidence, Indicator, Roadmap, Section


def roadmaps_visible_to(user) -> QuerySet[Roadmap]:
    return Roadmap.objects.visible_in(user_scope(user))


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def roadmap_list_for_user(*, user) -> QuerySet[Roadmap]:
    return roadmaps_visible_to(user)


def roadmap_get_for_user(*, user, pk: int, write: bool = False) -> Roadmap:
    roadmap = get_object_or_404(
        roadmaps_visible_to(user).select_related("owner", "project", "approved_by_act"), pk=pk
    )
    if write:
        _require(user, "roadmaps.manage_roadmap", roadmap)
    return roadmap


def section_get_for_user(*, user, pk: int, write: bool = False) -> Section:
    section = get_object_or_404(
        Section.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "parent"
        ),
        pk=pk,
    )
    if write:
        _require(user, "roadmaps.manage_roadmap", section.roadmap)
    return section


def activity_get_for_user(*, user, pk: int, write: bool = False) -> Activity:
    activity = get_object_or_404(
        Activity.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "roadmap__project", "section"
        ),
        pk=pk,
    )
    if write:
        _require(user, "roadmaps.manage_roadmap", activity.roadmap)
    return activity


def checkpoint_get_for_user(
    *, user, pk: int, write: bool = False, perm: str = "roadmaps.report_checkpoint"
) -> Checkpoint:
    """`write` checks `perm`: report_checkpoint for coordinators, verify_checkpoint for staff."""
    checkpoint = get_object_or_404(
        Checkpoint.objects.filter(activity__roadmap__in=roadmaps_visible_to(user)).select_related(
            "activity__roadmap__owner", "reported_by"
        ),
        pk=pk,
    )
    if write:
        _require(user, perm, checkpoint)
    return checkpoint


def evidence_get_for_user(*, user, pk: int) -> Evidence:
    """Evidence is as visible as its checkpoint; nobody changes it through this door."""
    return get_object_or_404(
        Evidence.objects.filter(checkpoint__activity__roadmap__in=roadmaps_visible_to(user)), pk=pk
    )


def evidence_get_for_link_change(*, user, pk: int) -> Evidence:
    """Evidence whose public link the user revokes or re-issues: staff who accept and return its reports."""
    evidence = get_object_or_404(
        Evidence.objects.filter(checkpoint__activity__roadmap__in=roadmaps_visible_to(user)).select_related(
            "checkpoint__activity__roadmap__owner"
        ),
        pk=pk,
    )
    _require(user, "roadmaps.verify_checkpoint", evidence.checkpoint)
    return evidence


def indicator_get_for_user(
    *, user, pk: int, write: bool = False, perm: str = "roadmaps.enter_indicator_value"
) -> Indicator:
    """`write` checks `perm`: enter_indicator_value for coordinators, manage_indicator for staff."""
    indicator = get_object_or_404(
        Indicator.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "activity"
        ),
        pk=pk,
    )
    if write:
        _require(user, perm, indicator)
    return indicator
