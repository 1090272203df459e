"""What every API view shares: objects through the access helpers, ETags on details, error responses."""

from __future__ import annotations

from django.http import Http404
from rest_framework import viewsets
from rest_framework.response import Response

from api.etags import etag_of
from roadmaps.access import roadmaps_visible_to

MAX_PK = 2**63 - 1


def pk_of(view) -> int:
    """The URL's id as a number the database takes (an id too big for it is simply not found)."""
    pk = int(view.kwargs["pk"])
    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


def visible_roadmap_ids(user) -> list[int]:
    """The ids of the roadmaps `user` sees, read first (one query): lists filtered by these values, not
    by the visibility subquery whose OR the planner misjudges (at national size it merge-joined a region's
    checkpoints out of all 3 million), walk roadmap → activity → checkpoint indexes."""
    return list(roadmaps_visible_to(user).values_list("pk", flat=True))


def with_etag(response: Response, obj) -> Response:
    response["ETag"] = etag_of(obj)
    return response


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list cut to the user's scope (`get_queryset`) and a detail read through the entity's access
    helper (`get_for_user`), which answers 404 outside the scope."""

    lookup_value_regex = r"[0-9]+"

    def get_for_user(self, pk: int):
        raise NotImplementedError

    def get_object(self):
        obj = self.get_for_user(pk_of(self))
        self.check_object_permissions(self.request, obj)
        return obj

    def retrieve(self, request, *args, **kwargs) -> Response:
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)
