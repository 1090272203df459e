"""Who reaches the API at all: a signed-in user; a read-only token only reads."""

from __future__ import annotations

from rest_framework import permissions

from api.models import ApiToken

READ_ONLY_TOKEN = "Токен выдан только для чтения: изменять данные им нельзя."


class TokenScopeAllows(permissions.IsAuthenticated):
    """What each object allows is the access helpers' answer (404/403) inside the views."""

    message = READ_ONLY_TOKEN

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True
