"""Writes to the organisation directory.

Each write checks the actor's right itself (organizations/rules.py), so importers, admin actions and views
cannot differ; `actor=None` is the operator's own command line (manage.py), which has no scope.
Saving an organisation moves the data version of the roadmaps that print it (roadmaps/data_version.py's
receiver); a move re-paths its subtree in one UPDATE and moves theirs too (Organization.save).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from organizations.models import Organization, OrganizationAlias
from organizations.names import normalize_name

# What staff edit on the organisation's form; parent and activity have their own services.
EDITABLE_FIELDS = (
    "full_name",
    "short_name",
    "kind",
    "inn",
    "ogrn",
    "municipality",
    "address",
    "phone",
    "email",
    "head_name",
    "head_position",
)


def _require(actor, perm: str, organization: Organization) -> None:
    if actor is not None and not actor.has_perm(perm, organization):
        raise PermissionDenied


def _save(*, actor, organization: Organization) -> Organization:
    organization.full_clean()
    organization._history_user = actor
    organization.save()
    return organization


def _locked(organization: Organization) -> Organization:
    """The row re-read under a lock, so two staff changing one organisation queue instead of overwriting."""
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _require_active_parent(parent: Organization) -> None:
    if not parent.is_active:
        raise ValidationError({"parent": _("Вышестоящая организация не действует.")})


@transaction.atomic
def organization_create(
    *,
    actor,
    full_name: str,
    short_name: str,
    parent: Organization,
    spellings: Iterable[str] | None = None,
    **fields,
) -> Organization:
    """A new organisation under `parent`, in its region (for example one first met in an imported file),
    with other `spellings` of its name; the actor must manage `parent`."""
    _require(actor, "organizations.manage_organization", parent)
    parent = _locked(parent)  # its path, read under the lock a move of it takes, prefixes the new one's
    _require_active_parent(parent)
    organization = Organization(
        full_name=full_name[:500], short_name=short_name[:150], parent=parent, region=parent.region, **fields
    )
    _save(actor=actor, organization=organization)
    if spellings:
        organization_aliases_add(actor=actor, organization=organization, spellings=spellings)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor,
    organization: Organization,
    expected_version: object,
    spellings: Iterable[str] | None = None,
    **fields,
) -> Organization:
    """Change names, kind, ИНН, municipality and contacts (only `EDITABLE_FIELDS`), on top of
    `expected_version`, the version the form was opened with (ConcurrentEditError if someone saved since);
    `spellings`, when given, become the organisation's other spellings (organization_spellings_set)."""
    # Late: roadmaps' services import this module (the importer creates organisations).
    from roadmaps.services._common import lock_for_edit

    _require(actor, "organizations.manage_organization", organization)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organization_update() does not change {sorted(unknown)}")
    organization = lock_for_edit(Organization.objects, pk=organization.pk, expected_version=expected_version)
    for name, value in fields.items():
        setattr(organization, name, value)
    _save(actor=actor, organization=organization)
    if spellings is not None:
        organization_spellings_set(actor=actor, organization=organization, spellings=spellings)
    return organization


@transaction.atomic
def organization_move(*, actor, organization: Organization, parent: Organization) -> Organization:
    """Put `organization` (with its whole subtree) under `parent`: both in the actor's reach, the target
    neither inside the subtree nor inactive. The subtree's rows are locked before their paths change."""
    # One lock statement, in path order: two moves crossing each other (A under B, B under A) queue on the
    # same first row instead of deadlocking, and the second then sees the first one's paths and is refused.
    in_play = Q(path__startswith=organization.path) | Q(pk__in=[organization.pk, parent.pk])
    list(Organization.objects.select_for_update().filter(in_play).order_by("path").values_list("pk"))
    organization = Organization.objects.get(pk=organization.pk)
    parent = Organization.objects.get(pk=parent.pk)
    # Checked on the rows as locked: either may have moved since the caller read them.
    _require(actor, "organizations.place_organization", organization)
    _require(actor, "organizations.manage_organization", parent)
    if parent.path.startswith(organization.path):
        raise ValidationError({"parent": _("Нельзя перенести организацию внутрь неё самой.")})
    _require_active_parent(parent)
    organization.parent = parent
    if parent.region_id and parent.region_id != organization.region_id:
        organization.region = parent.region
        Organization.objects.subtree_of(organization).exclude(pk=organization.pk).update(region=parent.region)
    return _save(actor=actor, organization=organization)


@transaction.atomic
def organization_set_active(*, actor, organization: Organization, active: bool) -> Organization:
    """Deactivate (or bring back) an organisation; nothing is deleted. One with active organisations below
    it is not deactivated: they would be left under an organisation nobody can choose."""
    _require(actor, "organizations.place_organization", organization)
    # The parent and the organisation locked together, parent first (path order, as moves lock): a child
    # reactivated while its parent is deactivated queue, and the second sees the first.
    locked = Organization.objects.select_for_update().filter(pk__in=[organization.pk, organization.parent_id])
    list(locked.order_by("path").values_list("pk"))
    organization = Organization.objects.select_related("parent").get(pk=organization.pk)
    if not active and organization.children.filter(is_active=True).exists():
        raise ValidationError(_("Сначала переведите или отключите подчинённые организации."))
    if active and organization.parent_id and not organization.parent.is_active:
        raise ValidationError(_("Вышестоящая организация не действует: сначала включите её."))
    organization.is_active = active
    return _save(actor=actor, organization=organization)


@transaction.atomic
def organization_spellings_set(*, actor, organization: Organization, spellings: Iterable[str]) -> None:
    """Make `spellings` the organisation's other spellings, as staff typed them on its form: new ones are
    added (confirmed by the actor), the ones left out are removed, with history naming the actor."""
    _require(actor, "organizations.manage_organization", organization)
    wanted = {normalize_name(" ".join(s.split())[:500]) for s in spellings if s.strip()}
    for alias in organization.known_spellings.exclude(normalized__in=wanted):
        alias._history_user = actor
        alias.delete()
    organization_aliases_add(actor=actor, organization=organization, spellings=spellings)


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
        known.add(alias.normalized)
        try:
            with transaction.atomic():
                alias.save()
        except IntegrityError:  # another import confirmed the same spelling at the same moment
            continue
        added.append(alias)
    return added
