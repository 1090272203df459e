"""Bulk onboarding from Excel: the upload, its preview, its confirmation, the export and the template.

The upload reads the workbook once and stores its rows; the preview plans them against the directory as
it is (organizations/onboarding/plan.py); the confirmation locks the upload, plans again inside its
transaction on the rows it then locks, refuses the whole file if any row is refused, and writes in bulk
with history naming the actor: organisations a level of the file's tree at a time (a parent's id makes its
children's paths), then accounts and memberships. Invitations go after the commit, in batches, from a
Celery task (organizations/tasks.py).

The rules are the directory's own: staff change organisations in their staff subtree
(organizations/rules.py), grant roles no higher than theirs (organizations/people.py's ROLE_RANK), an
existing person — matched by e-mail, whatever its case — gets the membership, never a second account.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Lower
from django.http import Http404
from django.utils import timezone

from organizations.models import Membership, Municipality, OnboardingUpload, Organization, OrganizationKind
from organizations.names import normalize_name
from organizations.onboarding import plan as planning
from organizations.onboarding.plan import CREATE, UPDATE, Directory, Plan
from organizations.onboarding.sheets import WorkbookError, read_workbook, write_workbook
from organizations.people import ROLE_RANK
from organizations.scope import user_scope

User = get_user_model()
Role = Membership.Role

MAX_FILE_BYTES = 20 * 1024 * 1024
BATCH = 1000
MAIL_BATCH = 200  # mails a task sends over one connection
_ORGANIZATION_VALUES = (
    "pk",
    "path",
    "parent_id",
    "region_id",
    "is_active",
    "version",
    *planning.COMPARED_FIELDS,
)


def _require_staff(actor) -> None:
    if not user_scope(actor).has_role(Role.STAFF):
        raise PermissionDenied


# --- The template and the export ------------------------------------------------------------------------


def onboarding_template() -> bytes:
    """The empty workbook with its headers; each header's comment says what goes in the column."""
    kinds = ", ".join(OrganizationKind.labels)
    return write_workbook([], [], hints={"kinds": kinds})


def onboarding_export(*, actor) -> bytes:
    """The organisations of the actor's staff subtree (parents first) and their people, in the template's
    columns: imported back unchanged, it changes nothing. Queries: the scope, the organisations (with
    municipalities), the memberships (with accounts)."""
    _require_staff(actor)
    scope = user_scope(actor)
    organizations = (
        Organization.objects.filter(scope.q("path", Role.STAFF))
        .select_related("municipality")
        .order_by("path")
    )
    memberships = (
        Membership.objects.filter(scope.q("organization__path", Role.STAFF))
        .select_related("user")
        .order_by("organization__path", "user__email", "role")
    )
    org_rows = (
        {
            "code": organization.pk,
            "full_name": organization.full_name,
            "short_name": organization.short_name,
            "kind": organization.get_kind_display(),
            "parent": organization.parent_id,
            "inn": organization.inn,
            "ogrn": organization.ogrn,
            "municipality": organization.municipality.name if organization.municipality else "",
            "address": organization.address,
            "phone": organization.phone,
            "email": organization.email,
            "head_name": organization.head_name,
            "head_position": organization.head_position,
        }
        for organization in organizations.iterator(chunk_size=2000)
    )
    people_rows = (
        {
            "full_name": " ".join(filter(None, [m.user.last_name, m.user.first_name])),
            "email": m.user.email,
            "organization": m.organization_id,
            "role": planning.ROLE_WORDS[m.role],
            "position": m.position,
        }
        for m in memberships.iterator(chunk_size=2000)
    )
    return write_workbook(org_rows, people_rows)


# --- Upload and preview ---------------------------------------------------------------------------------


def onboarding_upload_create(*, actor, file_name: str, data: bytes) -> OnboardingUpload:
    """Read the workbook and keep its rows for the preview; a file that cannot be read is refused whole."""
    _require_staff(actor)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"Файл больше {MAX_FILE_BYTES // (1024 * 1024)} МБ.")
    try:
        organizations, people = read_workbook(data)
    except WorkbookError as exc:
        raise ValidationError(str(exc)) from exc
    if not organizations.rows and not people.rows:
        raise ValidationError("В файле нет ни одной заполненной строки.")
    rows = {"organizations": organizations.rows, "people": people.rows}
    return OnboardingUpload.objects.create(
        token=secrets.token_urlsafe(24),
        uploaded_by=actor,
        file_name=file_name[:255],
        rows=json.dumps(rows, ensure_ascii=False),
    )


def onboarding_upload_get_for_user(*, user, token: str) -> OnboardingUpload:
    """Only its uploader, while still staff, reaches an upload (404 for anyone else)."""
    upload = OnboardingUpload.objects.filter(token=token, uploaded_by=user).first()
    if upload is None or not user_scope(user).has_role(Role.STAFF):
        raise Http404
    return upload


def _stored_rows(upload: OnboardingUpload) -> tuple[list, list]:
    rows = json.loads(upload.rows)
    return [tuple(r) for r in rows["organizations"]], [tuple(r) for r in rows["people"]]


def directory_load(*, actor, organization_rows: list, person_rows: list) -> Directory:
    """The part of the directory a file's rows can touch. Queries: the actor's organisations in their staff
    scope, the codes and ИНН of the file found outside it, the municipalities of those regions, the
    accounts with the file's e-mails, and those accounts' memberships."""
    scope = user_scope(actor)
    organizations: dict[int, planning.KnownOrganization] = {}
    for values in Organization.objects.filter(scope.q("path", Role.STAFF)).values(*_ORGANIZATION_VALUES):
        organizations[values["pk"]] = planning.KnownOrganization(
            pk=values["pk"],
            path=values["path"],
            parent_id=values["parent_id"],
            region_id=values["region_id"],
            is_active=values["is_active"],
            version=values["version"],
            managed=True,
            values={key: values[key] for key in planning.COMPARED_FIELDS},
        )
    references = [cells.get("parent", "") for _n, cells in organization_rows]
    references += [cells.get("code", "") for _n, cells in organization_rows]
    references += [cells.get("organization", "") for _n, cells in person_rows]
    codes = {int(t) for t in references if t.isascii() and t.isdigit() and len(t) < 12} - set(organizations)
    inns = {t for t in references if t.isascii() and t.isdigit() and len(t) in (10, 12)}
    inns |= {cells.get("inn", "") for _n, cells in organization_rows} - {""}
    foreign_codes, foreign_inns = set(), set()
    if codes or inns:
        outside = Organization.objects.filter(Q(pk__in=codes) | Q(inn__in=inns)).exclude(
            scope.q("path", Role.STAFF)
        )
        for pk, inn in outside.values_list("pk", "inn"):
            foreign_codes.add(pk)
            foreign_inns.add(inn)
    regions = {known.region_id for known in organizations.values()} - {None}
    municipalities = {
        (region_id, normalize_name(name)): pk
        for pk, region_id, name in Municipality.objects.filter(region_id__in=regions).values_list(
            "pk", "region_id", "name"
        )
    }
    emails = {cells.get("email", "").lower() for _n, cells in person_rows} - {""}
    people: dict[str, planning.KnownPerson | None] = {}
    if emails:
        accounts = (
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .values_list("pk", "address", "last_name", "first_name", "is_active", "password")
        )
        by_pk = {}
        for pk, address, last_name, first_name, is_active, password in accounts:
            person = planning.KnownPerson(
                pk=pk,
                full_name=" ".join(filter(None, [last_name, first_name])),
                is_active=is_active,
                has_password=bool(password) and not password.startswith("!"),
                memberships={},
            )
            people[address] = None if address in people else person
            by_pk[pk] = person
        if by_pk:
            memberships = Membership.objects.filter(user_id__in=by_pk).values_list(
                "pk", "user_id", "organization_id", "role", "position"
            )
            for pk, user_id, organization_id, role, position in memberships:
                by_pk[user_id].memberships[(organization_id, role)] = (pk, position)

    def rank_at(path: str) -> int:
        if scope.is_superuser:
            return max(ROLE_RANK.values())
        if not scope.covers(path, Role.STAFF):
            return 0
        return max((ROLE_RANK[r] for r in ROLE_RANK if scope.covers(path, r)), default=0)

    return Directory(
        organizations=organizations,
        municipalities=municipalities,
        people=people,
        foreign_codes=foreign_codes,
        foreign_inns=foreign_inns - {""},
        rank_at=rank_at,
    )


def onboarding_preview(*, actor, upload: OnboardingUpload) -> Plan:
    """What confirming the upload would do now, row by row (nothing is written)."""
    _require_staff(actor)
    organization_rows, person_rows = _stored_rows(upload)
    directory = directory_load(actor=actor, organization_rows=organization_rows, person_rows=person_rows)
    return planning.plan_rows(organization_rows, person_rows, directory)


# --- Confirmation ---------------------------------------------------------------------------------------


@dataclass
class OnboardingResult:
    organizations_created: int = 0
    organizations_updated: int = 0
    people_created: int = 0
    memberships_created: int = 0
    memberships_updated: int = 0

    def summary(self) -> str:
        return (
            f"Организаций добавлено: {self.organizations_created}, обновлено: {self.organizations_updated}; "
            f"учётных записей создано: {self.people_created}; ролей добавлено: {self.memberships_created}, "
            f"изменено: {self.memberships_updated}."
        )


class OnboardingRefused(ValidationError):
    """The file has refused rows (or the directory changed under it): nothing was written."""


@transaction.atomic
def onboarding_confirm(*, actor, token: str) -> OnboardingUpload:
    """Staff confirm the upload: it is queued for `onboarding_apply` (a Celery task, in-process by default),
    which writes it — 2,000 organisations and 5,000 people take seconds, more than a web request should
    hold a connection. Two confirmations at once queue on the upload's row: the second is refused."""
    _require_staff(actor)
    upload = OnboardingUpload.objects.select_for_update().filter(token=token, uploaded_by=actor).first()
    if upload is None:
        raise Http404
    if upload.status == OnboardingUpload.Status.APPLIED:
        raise ValidationError(ALREADY_APPLIED)
    if upload.status == OnboardingUpload.Status.QUEUED:
        raise ValidationError("Этот файл уже записывается.")
    upload.status = OnboardingUpload.Status.QUEUED
    upload.result = ""
    upload.save(update_fields=["status", "result"])
    transaction.on_commit(lambda: _enqueue_apply(upload.pk))
    return upload


ALREADY_APPLIED = "Этот файл уже загружен. Чтобы загрузить снова, выберите файл ещё раз."
APPLY_FAILED = "Файл не записан: ошибка на сервере. Ничего не изменилось — попробуйте подтвердить ещё раз."


def _enqueue_apply(upload_id: int) -> None:
    from organizations.tasks import apply_onboarding_upload

    apply_onboarding_upload.delay(upload_id)


@transaction.atomic
def onboarding_apply(*, upload_id: int) -> OnboardingResult:
    """Write the upload in one transaction, or nothing of it, as its uploader: planned again on the
    directory as it is now, refused whole if any row is refused. An upload already applied is refused
    (a second delivery of the task, or two at once, write once)."""
    upload = OnboardingUpload.objects.select_for_update().select_related("uploaded_by").get(pk=upload_id)
    if upload.status == OnboardingUpload.Status.APPLIED:
        raise ValidationError(ALREADY_APPLIED)
    actor = upload.uploaded_by
    _require_staff(actor)
    organization_rows, person_rows = _stored_rows(upload)
    directory = directory_load(actor=actor, organization_rows=organization_rows, person_rows=person_rows)
    _lock_and_check(directory)
    plan = planning.plan_rows(organization_rows, person_rows, directory)
    if plan.refused:
        raise OnboardingRefused(
            f"В файле отклонённых строк: {plan.refused}. "
            "Ничего не записано — исправьте файл и загрузите его снова."
        )
    result = OnboardingResult()
    created_pks = _organizations_create(actor=actor, plan=plan, directory=directory, result=result)
    _organizations_update(actor=actor, plan=plan, directory=directory, result=result)
    invited = _people_apply(actor=actor, plan=plan, created_pks=created_pks, result=result)
    upload.status = OnboardingUpload.Status.APPLIED
    upload.applied_at = timezone.now()
    upload.result = result.summary()
    upload.rows = ""
    upload.save(update_fields=["status", "applied_at", "result", "rows"])
    if invited:
        transaction.on_commit(lambda: _enqueue_invitations(invited))
    return result


@transaction.atomic
def onboarding_apply_refused(*, upload_id: int, message: str) -> None:
    """The upload could not be written: back to its preview, with why (unless it was written meanwhile)."""
    upload = OnboardingUpload.objects.select_for_update().filter(pk=upload_id).first()
    if upload is not None and upload.status != OnboardingUpload.Status.APPLIED:
        upload.status = OnboardingUpload.Status.READY
        upload.result = message
        upload.save(update_fields=["status", "result"])


def _lock_and_check(directory: Directory) -> None:
    """Lock the actor's organisations (in path order, as moves do) and make sure none moved, changed or
    switched off between the snapshot and the lock: the plan is made on what is locked."""
    pks = list(directory.organizations)
    locked = {}
    for start in range(0, len(pks), 5000):
        chunk = pks[start : start + 5000]
        query = Organization.objects.select_for_update().filter(pk__in=chunk).order_by("path")
        for pk, path, version, is_active in query.values_list("pk", "path", "version", "is_active"):
            locked[pk] = (path, version, is_active)
    for pk, known in directory.organizations.items():
        if locked.get(pk) != (known.path, known.version, known.is_active):
            raise ValidationError("Организации изменились, пока открывался файл. Загрузите файл ещё раз.")


def _organizations_create(
    *, actor, plan: Plan, directory: Directory, result: OnboardingResult
) -> dict[int, int]:
    """New organisations a depth at a time: inserted, given their paths, then their history rows (with the
    paths). Returns row index → new pk."""
    created: dict[int, int] = {}
    paths: dict[int, str] = {}
    new_rows = [(index, row) for index, row in enumerate(plan.organizations) if row.status == CREATE]
    for depth in sorted({row.depth for _i, row in new_rows}):
        level = [(index, row) for index, row in new_rows if row.depth == depth]
        objects = []
        for _index, row in level:
            if row.parent_row is not None:
                parent_pk, parent_path = created[row.parent_row], paths[row.parent_row]
            else:
                parent_pk, parent_path = row.parent_pk, directory.organizations[row.parent_pk].path
            anchor = directory.organizations[row.anchor_pk]
            fields = {key: row.values[key] for key in planning.COMPARED_FIELDS}
            organization = Organization(parent_id=parent_pk, region_id=anchor.region_id, path="", **fields)
            organization._parent_path = parent_path
            objects.append(organization)
        Organization.objects.bulk_create(objects, batch_size=BATCH)
        for (index, _row), organization in zip(level, objects, strict=True):
            organization.path = f"{organization._parent_path}{organization.pk}/"
            created[index], paths[index] = organization.pk, organization.path
        # One UPDATE per level: each new row's path is its parent's path and its own id.
        parent_path = Organization.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
        Organization.objects.filter(pk__in=[o.pk for o in objects]).update(
            path=Concat(Subquery(parent_path), Cast("pk", CharField()), Value("/"))
        )
        Organization.history.bulk_history_create(objects, default_user=actor, batch_size=BATCH)
        result.organizations_created += len(objects)
    return created


def _organizations_update(*, actor, plan: Plan, directory: Directory, result: OnboardingResult) -> None:
    rows = [row for row in plan.organizations if row.status == UPDATE]
    if not rows:
        return
    by_pk = Organization.objects.in_bulk([row.pk for row in rows])
    changed_fields: set[str] = set()
    objects = []
    for row in rows:
        organization = by_pk[row.pk]
        for key in planning.COMPARED_FIELDS:
            if planning._differs(row.values[key], directory.organizations[row.pk].values[key]):
                setattr(organization, key, row.values[key])
                changed_fields.add(key)
        organization.version = F("version") + 1
        objects.append(organization)
    Organization.objects.bulk_update(objects, [*sorted(changed_fields), "version"], batch_size=BATCH)
    fresh = list(Organization.objects.filter(pk__in=by_pk))
    Organization.history.bulk_history_create(fresh, default_user=actor, update=True, batch_size=BATCH)
    # Late import: roadmaps depends on this app. Their names print on roadmaps: move those data versions.
    from roadmaps.data_version import organizations_data_changed

    organizations_data_changed(Organization.objects.filter(pk__in=by_pk))
    result.organizations_updated += len(objects)


def _people_apply(*, actor, plan: Plan, created_pks: dict[int, int], result: OnboardingResult) -> list[int]:
    """Accounts for new e-mails (no usable password: the invitation sets it), memberships for everyone;
    returns the ids of the new memberships to mail about, one per person."""
    rows = [row for row in plan.people if row.status in (CREATE, UPDATE)]
    users_by_email: dict[str, int] = {}
    new_users = []
    for row in rows:
        email = row.values["email"]
        if row.user_pk is None and email not in users_by_email:
            last_name, _sep, first_name = row.values["full_name"].partition(" ")
            user = User(
                username=email[:150],
                email=email,
                last_name=last_name[:150],
                first_name=first_name[:150],
                password=make_password(None),
            )
            users_by_email[email] = 0
            new_users.append(user)
    if new_users:
        User.objects.bulk_create(new_users, batch_size=BATCH)
        User.history.bulk_history_create(new_users, default_user=actor, batch_size=BATCH)
        users_by_email = {user.email: user.pk for user in new_users}
        result.people_created = len(new_users)
    memberships, updates = [], []
    for row in rows:
        organization_pk = row.organization_pk or created_pks[row.organization_row]
        if row.membership_pk is not None:
            updates.append(Membership(pk=row.membership_pk, position=row.values["position"]))
            continue
        memberships.append(
            Membership(
                user_id=row.user_pk or users_by_email[row.values["email"]],
                organization_id=organization_pk,
                role=row.values["role"],
                position=row.values["position"],
            )
        )
    if memberships:
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        Membership.history.bulk_history_create(memberships, default_user=actor, batch_size=BATCH)
        result.memberships_created = len(memberships)
    if updates:
        Membership.objects.bulk_update(updates, ["position"], batch_size=BATCH)
        fresh = list(Membership.objects.filter(pk__in=[m.pk for m in updates]))
        Membership.history.bulk_history_create(fresh, default_user=actor, update=True, batch_size=BATCH)
        result.memberships_updated = len(updates)
    # One mail per person: a new account's first membership carries the invitation.
    told: set[int] = set()
    notify = []
    for membership in memberships:
        if membership.user_id not in told:
            told.add(membership.user_id)
            notify.append(membership.pk)
    return notify


def _enqueue_invitations(membership_ids: list[int]) -> None:
    from organizations.tasks import send_onboarding_invitations

    for start in range(0, len(membership_ids), MAIL_BATCH):
        send_onboarding_invitations.delay(membership_ids[start : start + MAIL_BATCH])
