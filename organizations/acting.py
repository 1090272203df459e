"""«Вы действуете от»: the membership a person with several chose to act for, kept in their session.

The middleware hands the choice to the user object before anything computes its scope
(organizations/scope.py narrows to it), lazily — a request that never loads the user loads no session.
After the response it forgets a choice that no longer holds (the header has said so on that page), and a
page that the person just switched on and that is no longer theirs (403/404) sends them home instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

SESSION_KEY = "acting_membership_id"
# The page a switch was made on, checked on the one request that follows the switch.
SWITCHED_FROM_KEY = "acting_switched_from"


def _with_choice(request: HttpRequest):
    user = get_user(request)  # AuthenticationMiddleware's own loader: cached on the request, loaded once
    if user.is_authenticated:
        chosen = request.session.get(SESSION_KEY)
        user._acting_membership_id = chosen if isinstance(chosen, int) else None
    return user


class ActingMembershipMiddleware:
    """After AuthenticationMiddleware: request.user carries the session's acting choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: _with_choice(request))
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)  # only when something loaded the user
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return response
        scope = getattr(user, "_portal_scope", None)
        if scope is not None and scope.acting_lost:
            request.session.pop(SESSION_KEY, None)
        if request.method != "GET":  # the switch itself is a POST; the page it goes back to, a GET
            return response
        switched_from = request.session.pop(SWITCHED_FROM_KEY, None)
        if switched_from and switched_from == request.get_full_path() and response.status_code in (403, 404):
            messages.info(request, _("Эта страница не относится к выбранной организации: открыта главная."))
            return redirect("home")
        return response
