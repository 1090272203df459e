from __future__ import annotations

from django.db import models


class OrganizationQuerySet(models.QuerySet):
    def active(self) -> OrganizationQuerySet:
        """Organisations still offered wherever one is chosen (inactive ones keep their history)."""
        return self.filter(is_active=True)

    def subtree_of(self, organization) -> OrganizationQuerySet:
        """The organisation and everything below it."""
        return self.filter(path__startswith=organization.path)

    def within_paths(self, paths: list[str]) -> OrganizationQuerySet:
        query = models.Q(pk__in=[])
        for path in paths:
            query |= models.Q(path__startswith=path)
        return self.filter(query)


class MembershipQuerySet(models.QuerySet):
    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)
