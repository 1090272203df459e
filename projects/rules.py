"""Who sees and changes projects and their participants; built on the user's organisation scope.

The one visibility rule: a project is visible to a signed-in member when it has no region (national and
federal projects, programmes of a federal coordinator), when its region is the region of one of the user's
organisations, when one of the user's organisations coordinates it, or when it has participants in the
user's scope (a federal programme's schools seen from their municipality). Participants are seen where
their organisation is in scope, and by the project's coordinator (as its roadmaps are:
RoadmapQuerySet.visible_in).
Staff add and remove participants they manage (a school in their subtree) in any project they see; staff
of a regional authority create and edit their region's regional projects; national and federal projects
change only in the admin, by superusers.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from organizations.models import Membership, Organization
from organizations.scope import user_scope
from projects.models import Participant


def sees_projects(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.organization_ids)


def project_visibility_q(user) -> Q:
    """Q over Project selecting what `user` sees (the rule above, in SQL: no query of its own)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return Q()
    if not scope.organization_ids:
        return Q(pk__in=[])
    regions = Organization.objects.filter(pk__in=scope.organization_ids).values("region_id")
    in_scope = Organization.objects.filter(scope.q("path")).values("pk")
    taking_part = Participant.objects.filter(organization_id__in=in_scope).values("project_id")
    coordinated = Q(coordinator_id__in=scope.organization_ids)
    return Q(region__isnull=True) | Q(region_id__in=regions) | coordinated | Q(pk__in=taking_part)


def participant_visibility_q(user) -> Q:
    """Q over Participant: the organisation in the user's scope, or the project coordinated by one of the
    user's organisations."""
    scope = user_scope(user)
    if scope.is_superuser:
        return Q()
    return scope.q("organization__path") | Q(project__coordinator_id__in=scope.organization_ids)


def project_regions(user) -> frozenset[int]:
    """Regions whose regional projects `user` creates and edits: those of their regional authorities'
    staff memberships (one query, kept on the user object)."""
    cached = getattr(user, "_project_regions", None)
    if cached is not None:
        return cached
    found: frozenset[int] = frozenset()
    if user.is_authenticated and user.is_active:
        found = frozenset(
            Membership.objects.filter(
                user=user,
                role=Membership.Role.STAFF,
                organization__kind=Organization.Kind.REGIONAL_AUTHORITY,
                organization__is_active=True,
                organization__region__isnull=False,
            ).values_list("organization__region_id", flat=True)
        )
    user._project_regions = found
    return found


@rules.predicate
def creates_projects(user) -> bool:
    return user.is_superuser or bool(project_regions(user))


@rules.predicate
def manages_project(user, project) -> bool:
    """Superusers change any project; staff of a regional authority their region's regional projects."""
    if project is None:
        return False
    if user.is_superuser:
        return True
    return project.level == project.Level.REGIONAL and project.region_id in project_regions(user)


@rules.predicate
def adds_participants(user, project) -> bool:
    """Staff add their schools to any project they see (the view has checked that it is visible)."""
    return project is not None and user_scope(user).has_role("staff")


@rules.predicate
def manages_participant(user, participant) -> bool:
    return participant is not None and user_scope(user).covers(participant.organization.path, "staff")


rules.add_perm("projects.create_project", creates_projects)
rules.add_perm("projects.manage_project", manages_project)
rules.add_perm("projects.add_participants", adds_participants)
rules.add_perm("projects.manage_participant", manages_participant)
