"""Writes to the organisation directory."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from organizations.models import Organization, OrganizationAlias
from organizations.names import normalize_name


@transaction.atomic
def organization_create(
    *, actor, full_name: str, short_name: str, parent: Organization, **fields
) -> Organization:
    """A new organisation under `parent`, in its region (for example one first met in an imported file)."""
    organization = Organization(
        full_name=full_name[:500], short_name=short_name[:150], parent=parent, region=parent.region, **fields
    )
    organization.full_clean()
    organization._history_user = actor
    organization.save()
    return organization


@transaction.atomic
def organization_aliases_add(
    *, actor, organization: Organization, spellings: Iterable[str]
) -> list[OrganizationAlias]:
    """Remember spellings staff confirmed for `organization` (its names and spellings already known are
    skipped); returns the new ones."""
    known = {normalize_name(organization.short_name), normalize_name(organization.full_name)}
    known |= set(organization.known_spellings.values_list("normalized", flat=True))
    added = []
    for spelling in spellings:
        spelling = " ".join(spelling.split())[:500]
        if not spelling or normalize_name(spelling) in known:
            continue
        alias = OrganizationAlias(organization=organization, spelling=spelling, confirmed_by=actor)
        alias.normalized = normalize_name(spelling)
        alias.full_clean()
        alias._history_user = actor
        alias.save()
        known.add(alias.normalized)
        added.append(alias)
    return added
