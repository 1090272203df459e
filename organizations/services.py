"""Writes to the organisation directory."""

from __future__ import annotations

from django.db import transaction

from organizations.models import Organization


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
