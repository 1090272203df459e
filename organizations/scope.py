"""What part of the organisation tree a user reaches, by role.

A membership gives its organisation's subtree; the scope is computed once per user object and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from organizations.models import Membership

Role = Membership.Role


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    paths_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organization_ids: tuple[int, ...] = ()

    def paths(self, *roles: str) -> tuple[str, ...]:
        wanted = roles or tuple(self.paths_by_role)
        return tuple(path for role in wanted for path in self.paths_by_role.get(role, ()))

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(self.paths_by_role.get(role) for role in roles)

    def covers(self, organization_path: str, *roles: str) -> bool:
        """Whether an organisation (by its path) lies in the subtree of one of the user's memberships."""
        return self.is_superuser or any(organization_path.startswith(p) for p in self.paths(*roles))

    def q(self, lookup: str, *roles: str) -> Q:
        """Q selecting rows whose organisation path (at `lookup`, e.g. "owner__path") is in scope."""
        if self.is_superuser:
            return Q()
        query = Q(pk__in=[])
        for path in self.paths(*roles):
            query |= Q(**{f"{lookup}__startswith": path})
        return query


def user_scope(user) -> Scope:
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope()
    else:
        paths: dict[str, list[str]] = {}
        ids: list[int] = []
        for role, path, org_id in Membership.objects.filter(user=user).values_list(
            "role", "organization__path", "organization_id"
        ):
            paths.setdefault(role, []).append(path)
            ids.append(org_id)
        scope = Scope(
            is_superuser=user.is_superuser,
            paths_by_role={role: tuple(p) for role, p in paths.items()},
            organization_ids=tuple(ids),
        )
    user._portal_scope = scope
    return scope
