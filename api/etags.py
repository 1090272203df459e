"""ETag on detail responses and the `If-Match` an update must carry (optimistic locking over HTTP)."""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException

from roadmaps.services import ConcurrentEditError


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Изменение требует заголовка If-Match со значением ETag записи, полученным при чтении."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Запись изменилась после того, как вы её прочитали: прочитайте её снова (новый ETag)."
    default_code = "precondition_failed"


def etag_of(obj) -> str:
    """A strong ETag from the row's edit version (or its update time where it has no version)."""
    stamp = getattr(obj, "version", None)
    if stamp is None:  # a report run has neither: its state is what changes
        moment = getattr(obj, "updated_at", None) or getattr(obj, "finished_at", None) or obj.created_at
        stamp = moment.strftime("%Y%m%d%H%M%S%f") + str(getattr(obj, "progress", ""))
    return f'"{obj.pk}-{stamp}"'


def expected_version(request, obj) -> int:
    """The version the client read, from `If-Match`: 428 without it, 412 when it is not the current one.

    The service then locks the row and compares again, so a write between this check and the save is
    refused too (ConcurrentEditError → 412)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired
    if header.removeprefix("W/") != etag_of(obj):
        raise PreconditionFailed
    return obj.version


__all__ = ["ConcurrentEditError", "PreconditionFailed", "PreconditionRequired", "etag_of", "expected_version"]
