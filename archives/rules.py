"""Who may request and download a region's data archive: the staff of an authority, for their own
organisation's subtree («сотрудник органа управления»; organizations/rules.py).

An archive holds people's names and e-mails and every report of the region, so it is the authority's
staff's alone: analysts, observers, coordinators and other regions do not learn it exists (404).
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from organizations.models import Organization
from organizations.scope import user_scope


@rules.predicate
def may_request_region_archives(user) -> bool:
    return user.is_authenticated and user_scope(user).has_role("staff")


def archive_organizations(user) -> QuerySet[Organization]:
    """The organisations the user may archive: those of their staff memberships (any regional authority
    for a superuser)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return Organization.objects.filter(kind=Organization.Kind.REGIONAL_AUTHORITY, parent__isnull=True)
    return Organization.objects.filter(path__in=scope.paths("staff"), is_active=True)


@rules.predicate
def may_see_region_archive(user, archive) -> bool:
    """Staff whose subtree holds the archived organisation (its requester among them while they are)."""
    return archive is not None and user_scope(user).covers(archive.organization.path, "staff")


rules.add_perm("archives.request_region_archive", may_request_region_archives)
rules.add_perm("archives.see_region_archive", may_see_region_archive)
