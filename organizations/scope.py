"""What part of the organisation tree a user reaches, by role.

A membership gives its organisation's subtree; the scope is computed once per user object and reused.

A person with several memberships may choose one to act for (organizations/acting.py keeps the choice in
the session and hands it to the user object as `_acting_membership_id`): the scope is then that membership
alone — its role, its organisation's subtree — on every page, report and rule. Without a choice (and in
Celery tasks and management commands, which have no session) it is the union of all their memberships.
A choice that no longer holds (the membership removed, its organisation deactivated) falls back to the
union with `acting_lost` set, never to a wider or stale scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from organizations.models import Membership

Role = Membership.Role


@dataclass(frozen=True)
class MembershipRef:
    """One of the user's memberships, as the header and the switcher show it (read with the scope)."""

    pk: int
    role: str
    organization_id: int
    organization_name: str
    path: str
    organization_active: bool

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    paths_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organization_ids: tuple[int, ...] = ()
    # Every membership of the user (for the switcher), the one they act for (None: all of them), and
    # whether a choice kept in the session no longer holds.
    memberships: tuple[MembershipRef, ...] = ()
    acting: MembershipRef | None = None
    acting_lost: bool = False

    @property
    def choices(self) -> tuple[MembershipRef, ...]:
        """The memberships one may act for: those of organisations still active."""
        return tuple(m for m in self.memberships if m.organization_active)

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
        scope = _scope_of(user, getattr(user, "_acting_membership_id", None))
    user._portal_scope = scope
    return scope


def _scope_of(user, acting_id: int | None) -> Scope:
    """One query: the user's memberships with their organisations' paths, names and activity."""
    memberships = tuple(
        MembershipRef(*row)
        for row in Membership.objects.filter(user=user)
        .order_by("organization__short_name", "role", "pk")
        .values_list(
            "pk", "role", "organization_id", "organization__short_name", "organization__path",
            "organization__is_active",
        )
    )  # fmt: skip
    acting = None
    if acting_id is not None and not user.is_superuser:
        acting = next((m for m in memberships if m.pk == acting_id and m.organization_active), None)
    counted = (acting,) if acting is not None else memberships
    paths: dict[str, list[str]] = {}
    for membership in counted:
        paths.setdefault(membership.role, []).append(membership.path)
    return Scope(
        is_superuser=user.is_superuser,
        paths_by_role={role: tuple(p) for role, p in paths.items()},
        organization_ids=tuple(m.organization_id for m in counted),
        memberships=memberships,
        acting=acting,
        acting_lost=acting_id is not None and acting is None and not user.is_superuser,
    )
