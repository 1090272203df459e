"""The single door through which a user reaches a roadmap object.

Each helper answers 404 when the object is outside what the user may see (so foreign objects are not
even confirmed to exist) and 403 when the user sees it but their role does not allow the change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organizations.models import Organization
from organizations.scope import user_scope
from roadmaps.models import (
    Activity,
    Checkpoint,
    ClosedPeriod,
    Comment,
    Evidence,
    ImportUpload,
    Indicator,
    Responsibility,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.services import lifecycle
from roadmaps.services.periods import period_target


def roadmaps_visible_to(user) -> QuerySet[Roadmap]:
    return Roadmap.objects.visible_in(user_scope(user))


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def roadmap_list_for_user(*, user) -> QuerySet[Roadmap]:
    return roadmaps_visible_to(user)


def roadmap_get_for_user(*, user, pk: int, write: bool = False) -> Roadmap:
    """`write`: staff of the owner may change it — never while it is archived (403 with the reason)."""
    roadmap = get_object_or_404(
        roadmaps_visible_to(user).select_related("owner", "project", "approved_by_act"), pk=pk
    )
    if write:
        _require(user, "roadmaps.manage_roadmap", roadmap)
        lifecycle.require_not_archived(roadmap)
    return roadmap


def roadmap_get_for_unarchive(*, user, pk: int) -> Roadmap:
    """An archived roadmap staff of the owner bring back."""
    roadmap = get_object_or_404(roadmaps_visible_to(user).select_related("owner"), pk=pk)
    _require(user, "roadmaps.manage_roadmap", roadmap)
    return roadmap


def revision_get_for_user(*, user, pk: int, write: bool = False) -> Revision:
    """An edition of a visible roadmap; `write`: staff of the owner put it in force."""
    revision = get_object_or_404(
        Revision.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "act"
        ),
        pk=pk,
    )
    if write:
        _require(user, "roadmaps.manage_roadmap", revision.roadmap)
        lifecycle.require_not_archived(revision.roadmap)
    return revision


def roadmap_get_for_structure(*, user, pk: int) -> Roadmap:
    """A roadmap whose passport, sections, activities or indicators are about to change: a draft, or an
    approved roadmap with its draft edition open (403 with what to do otherwise)."""
    roadmap = roadmap_get_for_user(user=user, pk=pk, write=True)
    lifecycle.structure_edition(roadmap)
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
        lifecycle.structure_edition(section.roadmap)
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
        lifecycle.structure_edition(activity.roadmap)
    return activity


def responsibility_get_for_change(*, user, pk: int) -> Responsibility:
    """A responsible organisation staff of the owner change or take off an activity, within the roadmap's
    edition when it is approved (403 with what to do otherwise)."""
    responsibility = get_object_or_404(
        Responsibility.objects.filter(activity__roadmap__in=roadmaps_visible_to(user)).select_related(
            "organization", "activity__roadmap__owner", "activity__roadmap__project", "activity__section"
        ),
        pk=pk,
    )
    _require(user, "roadmaps.manage_roadmap", responsibility.activity.roadmap)
    lifecycle.structure_edition(responsibility.activity.roadmap)
    return responsibility


def _checkpoint_get(user, pk: int) -> Checkpoint:
    return get_object_or_404(
        Checkpoint.objects.filter(activity__roadmap__in=roadmaps_visible_to(user)).select_related(
            "activity__roadmap__owner", "reported_by"
        ),
        pk=pk,
    )


def checkpoint_get_for_user(*, user, pk: int) -> Checkpoint:
    """A checkpoint read by whoever sees its roadmap (the API's detail)."""
    return _checkpoint_get(user, pk)


def checkpoint_get_for_report(*, user, pk: int) -> Checkpoint:
    """A checkpoint a coordinator reports on: one of their organisations is responsible for it."""
    checkpoint = _checkpoint_get(user, pk)
    lifecycle.require_not_archived(checkpoint.activity.roadmap)  # first: it says why, not just «no»
    _require(user, "roadmaps.report_checkpoint", checkpoint)
    return checkpoint


def checkpoint_get_for_verify(*, user, pk: int) -> Checkpoint:
    """A checkpoint staff of the roadmap's owner accept, return, cancel or restore."""
    checkpoint = _checkpoint_get(user, pk)
    _require(user, "roadmaps.verify_checkpoint", checkpoint)
    lifecycle.require_not_archived(checkpoint.activity.roadmap)
    return checkpoint


def checkpoint_get_for_schedule(*, user, pk: int) -> Checkpoint:
    """A checkpoint staff of the owner move or remove by hand: a structure change, so only in a draft or
    an approved roadmap's open edition (403 with what to do otherwise)."""
    checkpoint = _checkpoint_get(user, pk)
    _require(user, "roadmaps.manage_roadmap", checkpoint.activity.roadmap)
    lifecycle.structure_edition(checkpoint.activity.roadmap)
    return checkpoint


def checkpoint_get_for_thread(*, user, pk: int) -> Checkpoint:
    """A checkpoint's thread is read by whoever sees the checkpoint; who writes is the view's question."""
    return _checkpoint_get(user, pk)


def activity_get_for_thread(*, user, pk: int) -> Activity:
    """An activity's own thread: the department's staff read and write it (403 for the rest who see it)."""
    activity = activity_get_for_user(user=user, pk=pk)
    _require(user, "roadmaps.discuss_activity", activity)
    return activity


def comment_get_for_download(*, user, pk: int) -> Comment:
    """A comment's file is as visible as its thread."""
    visible = roadmaps_visible_to(user)
    comment = get_object_or_404(
        Comment.objects.filter(
            Q(checkpoint__activity__roadmap__in=visible) | Q(activity__roadmap__in=visible)
        ).select_related("activity__roadmap__owner"),
        pk=pk,
    )
    if comment.activity_id is not None:
        _require(user, "roadmaps.discuss_activity", comment.activity)
    return comment


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


def _indicator_get(user, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "activity"
        ),
        pk=pk,
    )


def indicator_get_for_value(*, user, pk: int) -> Indicator:
    """An indicator a coordinator enters their organisation's actual value for."""
    indicator = _indicator_get(user, pk)
    _require(user, "roadmaps.enter_indicator_value", indicator)
    lifecycle.require_not_archived(indicator.roadmap)
    return indicator


def indicator_get_for_change(*, user, pk: int) -> Indicator:
    """An indicator staff edit or delete, within the roadmap's edition when it is approved."""
    indicator = _indicator_get(user, pk)
    _require(user, "roadmaps.manage_indicator", indicator)
    lifecycle.structure_edition(indicator.roadmap)
    return indicator


def indicator_get_for_breakdown(*, user, pk: int) -> Indicator:
    """An indicator whose values by organisation the user reads: whoever sees the roadmap (the rows are
    cut to their scope by the selector), read with what the roadmap's header shows."""
    return get_object_or_404(
        Indicator.objects.filter(roadmap__in=roadmaps_visible_to(user)).select_related(
            "roadmap__owner", "roadmap__project", "roadmap__approved_by_act", "activity"
        ),
        pk=pk,
    )


def indicator_get_for_organization_targets(*, user, pk: int) -> Indicator:
    """An indicator staff of the roadmap's owner set organisations' own targets for (not while archived;
    an approved roadmap needs no new edition for them)."""
    indicator = _indicator_get(user, pk)
    _require(user, "roadmaps.manage_indicator", indicator)
    lifecycle.require_not_archived(indicator.roadmap)
    return indicator


# --- Closed reporting periods -------------------------------------------------------------------------


def roadmap_get_for_periods(*, user, pk: int) -> Roadmap:
    """A roadmap whose closed reporting periods staff of the owner list, close and reopen."""
    roadmap = get_object_or_404(
        roadmaps_visible_to(user).select_related("owner", "project", "approved_by_act"), pk=pk
    )
    _require(user, "roadmaps.manage_roadmap", roadmap)
    return roadmap


def period_get_for_change(*, user, pk: int) -> ClosedPeriod:
    """A closed period staff of its target (the roadmap's owner, or the organisation) review and reopen, or
    whose single checkpoints they reopen and lock again. It is as visible as its roadmap; one closed for a
    whole organisation is visible within that organisation's subtree."""
    scope = user_scope(user)
    visible = ClosedPeriod.objects.filter(
        Q(roadmap__in=roadmaps_visible_to(user))
        | (Q(organization__isnull=False) & scope.q("organization__path"))
    )
    period = get_object_or_404(
        visible.select_related("roadmap__owner", "organization", "closed_by", "reopened_by"), pk=pk
    )
    if not scope.covers(period_target(period).path, "staff"):
        raise PermissionDenied
    return period


def period_organizations_for_user(*, user) -> QuerySet[Organization]:
    """The organisations a staff member closes periods for as a whole: those of their staff memberships
    still active (periods closed for one since deactivated still show, from the periods themselves)."""
    scope = user_scope(user)
    if not scope.has_role("staff"):
        raise PermissionDenied
    if scope.is_superuser:
        return Organization.objects.active().exclude(kind=Organization.Kind.SCHOOL).order_by("path")
    return Organization.objects.active().filter(path__in=scope.paths("staff")).order_by("path")


def import_upload_get_for_user(*, user, token: str, with_parsed: bool = False) -> ImportUpload:
    """An upload waiting for import, seen only by whoever uploaded it (and superusers); an expired one is
    gone even before the sweeper deletes it. The parsed result, large for a big plan, is loaded only
    when asked for."""
    uploads = ImportUpload.objects.filter(expires_at__gt=timezone.now())
    if not user.is_superuser:
        uploads = uploads.filter(uploaded_by=user)
    if not with_parsed:
        uploads = uploads.defer("parsed")
    return get_object_or_404(uploads, token=token)
