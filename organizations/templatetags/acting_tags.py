"""The header's «Вы действуете от» line and switcher, from the scope already read (no query of its own)."""

from __future__ import annotations

from django import template

from organizations.scope import user_scope

register = template.Library()


@register.inclusion_tag("organizations/partials/acting.html", takes_context=True)
def acting_box(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"show": False}
    scope = user_scope(request.user)
    choices = scope.choices
    return {
        "show": bool(scope.memberships) or scope.is_superuser,
        "scope": scope,
        "choices": choices if len(choices) > 1 and not scope.is_superuser else (),
        "single": choices[0] if len(choices) == 1 else None,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
