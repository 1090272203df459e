"""Reads for the archive screens; the scope filter and every select_related live here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from archives.models import RegionArchive
from organizations.scope import user_scope

RECENT_ARCHIVES = 50


def region_archive_list_for_user(*, user) -> QuerySet[RegionArchive]:
    """Archives of organisations in the user's staff subtree, newest first. One query."""
    scope = user_scope(user)
    return (
        RegionArchive.objects.filter(scope.q("organization__path", "staff"))
        .select_related("organization", "requested_by")
        .order_by("-created_at", "-pk")[:RECENT_ARCHIVES]
    )


def region_archive_get_for_user(*, user, pk: int) -> RegionArchive:
    """The archive, or 404 for anyone but the staff it belongs to."""
    scope = user_scope(user)
    archive = (
        RegionArchive.objects.filter(scope.q("organization__path", "staff"), pk=pk)
        .select_related("organization", "requested_by")
        .first()
    )
    if archive is None:
        raise Http404("Архив не найден.")
    return archive
