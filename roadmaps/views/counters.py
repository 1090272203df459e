"""The counters in the navigation and on «Мои мероприятия», fetched apart from the page (htmx): on load,
every minute and after each in-place action that changes them (the `counts-changed` event)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from roadmaps import selectors
from roadmaps.views._common import scope_of, today

COUNTS_CHANGED = "counts-changed"


def counts_changed(response: HttpResponse) -> HttpResponse:
    """Mark an in-place action's answer: the page asks for fresh counters once it is swapped in."""
    response["HX-Trigger"] = COUNTS_CHANGED
    return response


@require_safe
def nav_counters(request: HttpRequest) -> HttpResponse:
    """Out-of-band fragments for whatever counters the page has. Queries: the scope and one per role."""
    scope = scope_of(request)
    # The groups' counts only for the groups «Мои мероприятия» shows (?groups=all or one group's code):
    # htmx logs an error for each fragment whose target is not on the page.
    context = {"groups": request.GET.get("groups", "")}
    if scope.has_role("coordinator"):
        context["mine"] = selectors.my_checkpoint_counts(scope=scope, today=today())
    if scope.has_role("staff"):
        context["waiting"] = selectors.verification_queue(scope=scope).count()
    response = render(request, "roadmaps/partials/nav_counters.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
