"""Reads of the organisation directory for its screens, and the single door to one organisation.

The tree is shown one level at a time (the children of one node, a page at a time) and search answers a
flat page, so a region of 500 organisations and the federal scope of 40,000 cost the same few queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from organizations import people
from organizations.models import Membership, Organization
from organizations.scope import Scope, user_scope

PAGE_SIZE = 50


# --- Access: 404 outside the scope, 403 where the role may not change ------------------------------------


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.filter(user_scope(user).q("path"))


def _get(user, pk: int) -> Organization:
    return get_object_or_404(
        organizations_visible_to(user).select_related("parent", "region", "municipality"), pk=pk
    )


def _require(user, perm: str, organization: Organization) -> None:
    if not user.has_perm(perm, organization):
        raise PermissionDenied


def organization_get_for_user(*, user, pk: int) -> Organization:
    return _get(user, pk)


def organization_get_for_change(*, user, pk: int) -> Organization:
    """Details edited, or an organisation added below it: staff whose subtree holds it."""
    organization = _get(user, pk)
    _require(user, "organizations.manage_organization", organization)
    return organization


def organization_get_for_placement(*, user, pk: int) -> Organization:
    """Moved, deactivated or brought back: strictly below the staff member's own organisation."""
    organization = _get(user, pk)
    _require(user, "organizations.place_organization", organization)
    return organization


def move_targets_for_user(*, user, organization: Organization) -> QuerySet[Organization]:
    """Where staff may put an organisation: active authorities and centres they manage (schools hold no
    organisations), outside its own subtree. A select of a region's few dozen, not of its schools."""
    scope = user_scope(user)
    return (
        Organization.objects.active()
        .filter(scope.q("path", "staff"))
        .exclude(kind=Organization.Kind.SCHOOL)
        .exclude(path__startswith=organization.path)
        .order_by("path")
    )


# --- People of an organisation (the «Сотрудники и координаторы» pages) ------------------------------------


def organization_get_for_people(*, user, pk: int) -> Organization:
    """404 outside the user's scope, 403 unless they are staff over it."""
    organization = get_object_or_404(Organization.objects.filter(user_scope(user).q("path")), pk=pk)
    if not people.can_manage_people(actor=user, organization=organization):
        raise PermissionDenied
    return organization


def membership_get_for_people(*, user, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.filter(user_scope(user).q("organization__path")).select_related(
            "user", "organization"
        ),
        pk=pk,
    )
    if not people.can_manage_people(actor=user, organization=membership.organization):
        raise PermissionDenied
    return membership


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    """One query: the organisation's members with their accounts."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "role")
    )


# --- The tree and the search ---------------------------------------------------------------------------


@dataclass
class TreeLevel:
    """One node of the tree opened: the way down to it and a page of what lies directly below."""

    node: Organization | None
    ancestors: list[Organization]
    children: Page


def _with_child_counts(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    return organizations.select_related("municipality").annotate(
        child_count=Count("children", filter=Q(children__is_active=True))
    )


def _roots(scope: Scope) -> QuerySet[Organization]:
    """The tops of the user's scope: their memberships' organisations that no other one of theirs holds."""
    if scope.is_superuser:
        return Organization.objects.filter(parent__isnull=True)
    paths = sorted(set(scope.paths()))
    tops = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    return Organization.objects.filter(path__in=tops)


def organization_tree_level(
    *, scope: Scope, node: Organization | None, page: str | None, inactive: bool = False
) -> TreeLevel:
    """Queries: the ancestors in scope (only with a node), the count and the page of children."""
    if node is None:
        children, ancestors = _roots(scope), []
    else:
        children = node.children.all()
        ids = [int(part) for part in node.path.strip("/").split("/")[:-1]]
        above = Organization.objects.filter(scope.q("path"), pk__in=ids).order_by("path")
        ancestors = list(above) if ids else []
    if not inactive:
        children = children.filter(is_active=True)
    page_obj = Paginator(_with_child_counts(children).order_by("short_name", "pk"), PAGE_SIZE).get_page(page)
    return TreeLevel(node=node, ancestors=ancestors, children=page_obj)


def organization_search(
    *, scope: Scope, text: str, kind: str, page: str | None, inactive: bool = False
) -> Page:
    """Organisations of the scope whose name contains `text` or whose ИНН is it, of one kind if given.
    Queries: the count and the page (with parents)."""
    organizations = Organization.objects.filter(scope.q("path"))
    if text:
        organizations = organizations.filter(
            Q(short_name__icontains=text) | Q(full_name__icontains=text) | Q(inn=text)
        )
    if kind:
        organizations = organizations.filter(kind=kind)
    if not inactive:
        organizations = organizations.filter(is_active=True)
    # No child counts here: a search of the federal scope would group 40,000 rows to count its pages.
    organizations = organizations.select_related("parent").order_by("short_name", "pk")
    return Paginator(organizations, PAGE_SIZE).get_page(page)


@dataclass
class OrganizationPage:
    organization: Organization
    level: TreeLevel
    roadmap_count: int


def organization_page(*, user, organization: Organization, page: str | None) -> OrganizationPage:
    """Queries: the tree level below it (ancestors, count, page) and the count of its roadmaps the user
    sees."""
    from roadmaps.access import roadmaps_visible_to  # roadmaps depends on this app, not the other way

    scope = user_scope(user)
    return OrganizationPage(
        organization=organization,
        level=organization_tree_level(scope=scope, node=organization, page=page, inactive=True),
        roadmap_count=roadmaps_visible_to(user).filter(owner=organization).count(),
    )
