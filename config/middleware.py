"""The portal's middleware.

A request the database cannot serve — a statement stopped by its timeout, or no answer at all — gets a
Russian 503 page (an htmx fragment for htmx) instead of a traceback, and leaves the connection usable.
Two small ones add response headers: Permissions-Policy, and Cache-Control for private responses.
"""

import logging
import time
from collections.abc import Callable
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connections
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

logger = logging.getLogger(__name__)

# SQLSTATE 57014 query_canceled: PostgreSQL stopped the statement at statement_timeout (or an operator did).
QUERY_CANCELED = "57014"


def database_failure(exc: BaseException) -> Literal["timeout", "unreachable"] | None:
    """Which database failure the exception is, or None for any other error (it stays an ordinary 500)."""
    if not isinstance(exc, OperationalError):
        return None
    # psycopg2 errors carry pgcode; None means the server never answered (refused, timed out, connection
    # lost). SQLite's errors have no pgcode at all: a locked file or a missing table is a bug, not an outage.
    code = getattr(exc.__cause__, "pgcode", False)
    if code == QUERY_CANCELED:
        return "timeout"
    if code is None:
        return "unreachable"
    return None


def _leave_connections_usable() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            # Only a block opened around the handler (a test's) can still be open: it must not commit.
            conn.set_rollback(True)
        elif conn.connection is not None and not conn.get_autocommit():
            conn.rollback()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.started_at = time.monotonic()
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        # LoginRequiredMiddleware, next in line, loads the session and the user for every view, public ones
        # included: the first query of most requests. An error raised there never reaches
        # process_exception, so load them here instead.
        try:
            request.user.is_authenticated  # noqa: B018 - evaluated for its query
        except OperationalError as exc:
            response = self.process_exception(request, exc)
            if response is None:
                raise
            # Nothing after this may wait for the database again (each try costs DB_CONNECT_TIMEOUT).
            request.user = AnonymousUser()
            return response
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        reason = database_failure(exception)
        if reason is None:
            return None
        # Atomic blocks rolled back on their way out; this covers a transaction left open around them.
        _leave_connections_usable()
        elapsed = time.monotonic() - getattr(request, "started_at", time.monotonic())
        logger.warning(
            "Database %s: %s %s after %.1f s: %s",
            reason,
            request.method,
            request.path,
            elapsed,
            str(exception).strip(),
        )
        context = {"reason": reason, "fragment": bool(getattr(request, "htmx", False))}
        response = render(request, "503.html", context, status=503)
        response["Cache-Control"] = "private, no-store"  # set here: deciding it would ask for the user
        return response


class NullCharacterMiddleware:
    """Answers 400 to a query string carrying a NUL character (`%00`): PostgreSQL cannot hold one in a
    string, so a filter or search passing it on would fail with a 500 wherever it reaches the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "") and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "В адресе страницы недопустимый символ. Проверьте ссылку.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switches off the browser features in settings.PERMISSIONS_POLICY (camera, microphone, …) for every
    page and anything it embeds: `{"camera": []}` becomes `Permissions-Policy: camera=()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """Pages for a signed-in person and every file download are `Cache-Control: private, no-store`: no
    proxy keeps them and the browser does not leave them on disk. A view's own Cache-Control stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        download = isinstance(response, FileResponse) or response.has_header("Content-Disposition")
        if download or _signed_in(request):
            response["Cache-Control"] = "private, no-store"
        return response


def _signed_in(request: HttpRequest) -> bool:
    try:
        return request.user.is_authenticated
    except AttributeError:  # answered before AuthenticationMiddleware ran
        return False
    except OperationalError:  # the database went away: this answer is the 503 page, private all the same
        return True
