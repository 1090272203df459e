"""Who may see and change an organisation of the directory; built on the user's organisation scope.

The staff role is the authority's («сотрудник органа управления»): coordinators, analysts and observers
see their subtree but change nothing in it.
"""

from __future__ import annotations

import rules

from organizations.scope import user_scope


@rules.predicate
def manages_organizations(user) -> bool:
    return user_scope(user).has_role("staff")


@rules.predicate
def can_see_organization(user, organization) -> bool:
    return organization is not None and user_scope(user).covers(organization.path)


@rules.predicate
def manages_organization(user, organization) -> bool:
    """Staff edit the details of any organisation in their subtree, their own included."""
    return organization is not None and user_scope(user).covers(organization.path, "staff")


@rules.predicate
def places_organization(user, organization) -> bool:
    """Moving and deactivating reach only below the user's own organisation, never it or anything above."""
    if organization is None:
        return False
    scope = user_scope(user)
    return scope.is_superuser or any(
        organization.path.startswith(path) and organization.path != path for path in scope.paths("staff")
    )


rules.add_perm("organizations.manage_organizations", manages_organizations)
rules.add_perm("organizations.see_organization", can_see_organization)
rules.add_perm("organizations.manage_organization", manages_organization)
rules.add_perm("organizations.place_organization", places_organization)
