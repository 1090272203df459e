"""Writes to projects and their participants.

Each write checks the actor's right itself (projects/rules.py), so views and the admin cannot differ;
`actor=None` is the operator's own command line, which has no scope. Every save records the actor in
django-simple-history. Inactive organisations are never made participants or curators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization
from organizations.scope import user_scope
from projects.models import Participant, Project
from projects.rules import project_regions

# What staff edit on the project's form.
PROJECT_FIELDS = ("code", "name", "level", "parent", "coordinator", "region", "year_start", "year_end",
                  "description")  # fmt: skip


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied


def _save(instance, *, actor, **clean) -> None:
    instance.full_clean(**clean)
    instance._history_user = actor
    instance.save()


# --- Projects ---------------------------------------------------------------------------------------------


def _check_project(actor, project: Project) -> None:
    """What a non-superuser may make: a regional project of their own region, under a project they see
    (national or federal, or a regional one of the same region), coordinated by an active organisation."""
    errors: dict[str, str] = {}
    if project.coordinator_id and not project.coordinator.is_active:
        errors["coordinator"] = _("Организация-координатор не действует.")
    if project.parent_id:
        if project.parent_id == project.pk:
            errors["parent"] = _("Проект не может входить сам в себя.")
        elif project.parent.region_id and project.parent.region_id != project.region_id:
            errors["parent"] = _("Региональный проект может входить только в проект своего региона.")
    if actor is not None and not actor.is_superuser:
        if project.level != Project.Level.REGIONAL:
            errors["level"] = _("Национальные и федеральные проекты меняет только администратор портала.")
        if project.region_id not in project_regions(actor):
            errors["region"] = _("Региональные проекты создаются только для вашего региона.")
        if project.parent_id:
            from projects.selectors import projects_visible_to  # selectors read what services write

            if not projects_visible_to(actor).filter(pk=project.parent_id).exists():
                errors.setdefault("parent", _("Такого проекта нет."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, actor, **fields) -> Project:
    """A project; for staff of a regional authority, a regional project of their region."""
    _require(actor, "projects.create_project", None)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"project_create() does not take {sorted(unknown)}")
    project = Project(**fields)
    _check_project(actor, project)
    _save(project, actor=actor)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, **fields) -> Project:
    """Change a project's passport; staff only within their region's regional projects (before and after)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require(actor, "projects.manage_project", project)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"project_update() does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)
    _check_project(actor, project)
    _check_no_cycle(project)
    _save(project, actor=actor)
    return project


def _check_no_cycle(project: Project) -> None:
    seen = {project.pk}
    parent_id = project.parent_id
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationError({"parent": _("Проект не может входить в свой собственный подпроект.")})
        seen.add(parent_id)
        parent_id = Project.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()


# --- Participants -----------------------------------------------------------------------------------------


def _check_curator(actor, *, curator: Organization | None, curator_user) -> None:
    """A curator organisation active and in the actor's scope; a curator person active and a member of it
    (Participant.clean) or, without one, of an active organisation in the actor's scope."""
    scope = user_scope(actor) if actor is not None else None
    if curator is not None:
        if not curator.is_active:
            raise ValidationError({"curator": _("Организация-куратор не действует.")})
        if scope is not None and not scope.covers(curator.path):
            raise ValidationError({"curator": _("Организация-куратор вне вашей области доступа.")})
    if curator_user is not None:
        if not curator_user.is_active:
            raise ValidationError({"curator_user": _("Учётная запись куратора отключена.")})
        memberships = Membership.objects.filter(user=curator_user, organization__is_active=True)
        if curator is not None:
            memberships = memberships.filter(organization=curator)
        elif scope is not None:
            memberships = memberships.filter(scope.q("organization__path"))
        if not memberships.exists():
            raise ValidationError(
                {
                    "curator_user": _(
                        "Куратор должен состоять в организации-кураторе или в организации "
                        "вашей области доступа."
                    )
                }
            )


def _check_participant_organization(actor, organization: Organization) -> None:
    if not organization.is_active:
        raise ValidationError(_("Организация «%(name)s» не действует.") % {"name": organization})
    if actor is not None and not user_scope(actor).covers(organization.path, "staff"):
        raise PermissionDenied


@dataclass
class Added:
    added: list[Participant] = field(default_factory=list)
    already: list[Organization] = field(default_factory=list)


@transaction.atomic
def participants_add(
    *,
    actor,
    project: Project,
    organizations: Iterable[Organization],
    curator: Organization | None = None,
    curator_user=None,
    curator_name: str = "",
) -> Added:
    """Make `organizations` (active, in the actor's staff scope) participants of `project`, each with the
    curator given. Those already taking part are left as they are and reported; if none is new the call
    is refused with a Russian message — also when another person added the same school a moment before
    (the unique constraint decides, a savepoint keeps the rest)."""
    _require(actor, "projects.add_participants", project)
    organizations = list(dict.fromkeys(organizations))
    if not organizations:
        raise ValidationError(_("Не выбрано ни одной организации."))
    _check_curator(actor, curator=curator, curator_user=curator_user)
    existing = set(
        Participant.objects.filter(project=project, organization__in=organizations).values_list(
            "organization_id", flat=True
        )
    )
    # Every new row carries the same curator: checked once (its fields and Participant.clean), not per row.
    Participant(
        project=project, organization=organizations[0], curator=curator, curator_user=curator_user,
        curator_name=curator_name[:200],
    ).full_clean(validate_constraints=False, exclude=["project", "organization"])  # fmt: skip
    result = Added()
    for organization in organizations:
        _check_participant_organization(actor, organization)
        if organization.pk in existing:
            result.already.append(organization)
            continue
        participant = Participant(
            project=project,
            organization=organization,
            curator=curator,
            curator_user=curator_user,
            curator_name=curator_name[:200],
        )
        participant._history_user = actor
        try:
            with transaction.atomic():
                participant.save()
        except IntegrityError:  # someone added the same school at the same moment
            result.already.append(organization)
            continue
        result.added.append(participant)
    if not result.added:
        names = ", ".join(f"«{org}»" for org in result.already)
        raise ValidationError(_("Уже участвуют в проекте: %(names)s.") % {"names": names})
    return result


def _locked_participant(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().select_related("organization").get(pk=participant.pk)


@transaction.atomic
def participant_update(
    *,
    actor,
    participant: Participant,
    curator: Organization | None,
    curator_user=None,
    curator_name: str = "",
    note: str = "",
) -> Participant:
    """Set a participant's curator (organisation and person) and note."""
    participant = _locked_participant(participant)
    _require(actor, "projects.manage_participant", participant)
    _check_curator(actor, curator=curator, curator_user=curator_user)
    participant.curator = curator
    participant.curator_user = curator_user
    participant.curator_name = curator_name[:200]
    participant.note = note[:500]
    _save(participant, actor=actor, validate_constraints=False)
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    """Take an organisation out of a project; history keeps the row and who removed it."""
    participant = _locked_participant(participant)
    _require(actor, "projects.manage_participant", participant)
    participant._history_user = actor
    participant.delete()
