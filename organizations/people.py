"""Writes to people: invitations, roles, memberships, deactivation.

Only staff grant anything, only for organisations in their staff scope, and never a role above their own
(ROLE_RANK: staff > analyst > coordinator > observer — staff manage the directory, an analyst reads and
exports everything in scope, a coordinator reports for one organisation, an observer only reads).

An invitation is Django's password-reset token (`default_token_generator`): it expires after
PASSWORD_RESET_TIMEOUT and stops working once a password is set, because the token hashes the password.
Rules on people who already hold roles (a department expects its directory to stay managed):
- nobody changes their own role, removes it, deactivates their account or invites themselves;
- a staff role is changed, removed or its holder switched off only by staff of an organisation above it
  (or a superuser), never by a peer of the same organisation: colleagues cannot lock each other out, and a
  regional department's own staff are handled by the portal's administrator;
- an organisation's last active staff member is neither demoted nor removed: invite the successor first
  (switching them off stays possible — someone who left must lose access at once).

An e-mail already known is reused: an active account gets the new membership (and a mail only while it has
no password yet); a deactivated account is refused — reactivating it is its own, separate decision.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization
from organizations.notifications import Event, Message, notify
from organizations.scope import user_scope

User = get_user_model()
Role = Membership.Role

ROLE_RANK: dict[str, int] = {Role.STAFF: 4, Role.ANALYST: 3, Role.COORDINATOR: 2, Role.OBSERVER: 1}


def can_manage_people(*, actor, organization: Organization) -> bool:
    """Whether `actor` is staff of `organization` or of an organisation above it."""
    return user_scope(actor).covers(organization.path, Role.STAFF)


def require_grant(*, actor, organization: Organization, role: str) -> None:
    """403 unless `actor` manages people of `organization` and `role` is no higher than their own there."""
    if role not in ROLE_RANK:
        raise ValidationError({"role": _("Нет такой роли.")})
    if not can_manage_people(actor=actor, organization=organization):
        raise PermissionDenied
    if not actor.is_superuser and ROLE_RANK[role] > _own_rank(actor, organization):
        raise PermissionDenied


def grantable_roles(*, actor, organization: Organization) -> list[str]:
    """The roles `actor` may give in `organization`, highest first (none unless they manage its people)."""
    if not can_manage_people(actor=actor, organization=organization):
        return []
    own = len(ROLE_RANK) if actor.is_superuser else _own_rank(actor, organization)
    return [role for role, rank in ROLE_RANK.items() if rank <= own]


def _require_above_staff(*, actor, organization: Organization, role: str) -> None:
    """A staff role is acted on only from an organisation above its one, never by a peer."""
    if role != Role.STAFF or actor.is_superuser:
        return
    if not any(
        organization.path.startswith(p) and organization.path != p
        for p in user_scope(actor).paths(Role.STAFF)
    ):
        # Refused with a message on the page, not a 403: the actor manages this organisation's people.
        raise ValidationError(
            _("Роль сотрудника меняет, снимает или отключает только сотрудник вышестоящей организации.")
        )


def _require_another_staff(membership: Membership) -> None:
    """Refused when `membership` is its organisation's last active staff role (its staff roles are already
    locked by `_membership_locked`)."""
    if membership.role != Role.STAFF:
        return
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.STAFF, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("Это последний действующий сотрудник организации: сначала пригласите другого сотрудника.")
        )


def _own_rank(actor, organization: Organization) -> int:
    scope = user_scope(actor)
    return max((ROLE_RANK[r] for r in ROLE_RANK if scope.covers(organization.path, r)), default=0)


def _user_by_email(email: str):
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        message = _("С этим адресом несколько учётных записей; обратитесь к администратору.")
        raise ValidationError({"email": message})
    return matches[0] if matches else None


@transaction.atomic
def person_invite(
    *, actor, organization: Organization, email: str, full_name: str, role: str, position: str = ""
) -> Membership:
    """Give the person with `email` a `role` in `organization`, creating their account (with no password)
    if it is new; the invitation mail goes after the commit."""
    require_grant(actor=actor, organization=organization, role=role)
    if not organization.is_active:
        raise ValidationError(_("Организация не действует: в неё больше не приглашают."))
    email = User.objects.normalize_email(email.strip()).lower()
    user = _user_by_email(email)
    if user is None:
        last_name, _sep, first_name = " ".join(full_name.split()).partition(" ")
        user = User(username=email[:150], email=email, last_name=last_name[:150], first_name=first_name[:150])
        user.set_unusable_password()
        user.full_clean()
        user._history_user = actor
        try:
            with transaction.atomic():  # the same new address invited twice at once: one account
                user.save()
        except IntegrityError:
            user = _user_by_email(email)
    if user.pk == actor.pk:
        raise ValidationError({"email": _("Нельзя выдать роль самому себе.")})
    if not user.is_active:
        raise ValidationError({"email": _("Учётная запись с этим адресом отключена. Сначала включите её.")})
    taken = ValidationError({"email": _("У этого человека уже есть такая роль в этой организации.")})
    membership = Membership(user=user, organization=organization, role=role, position=position[:200])
    try:
        membership.full_clean()
        membership._history_user = actor
        with transaction.atomic():  # two staff inviting the same person at once: the second is told so
            membership.save()
    except (ValidationError, IntegrityError) as exc:
        if isinstance(exc, IntegrityError) or NON_FIELD_ERRORS in exc.message_dict:
            raise taken from exc
        raise
    if user.has_usable_password():
        transaction.on_commit(lambda: _send_access_notice(membership=membership))
    else:
        transaction.on_commit(lambda: _send_invitation(user=user, organization=organization))
    return membership


@transaction.atomic
def invitation_resend(*, actor, membership: Membership) -> None:
    """A fresh link for someone who has not set a password yet; the previous link stops working."""
    require_grant(actor=actor, organization=membership.organization, role=membership.role)
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.has_usable_password():
        raise ValidationError(_("Пароль уже задан: приглашение не нужно, человек входит сам."))
    if not user.is_active:
        raise ValidationError(_("Учётная запись отключена."))
    # A new unusable password changes what the token hashes: the old link is dead.
    user.set_unusable_password()
    user._history_user = actor
    user.save(update_fields=["password"])
    organization = membership.organization
    transaction.on_commit(lambda: _send_invitation(user=user, organization=organization))


@transaction.atomic
def membership_role_change(*, actor, membership: Membership, role: str) -> Membership:
    """Change a member's role; the actor must be able to grant both the old role and the new one."""
    membership = _membership_locked(membership)
    require_grant(actor=actor, organization=membership.organization, role=membership.role)
    require_grant(actor=actor, organization=membership.organization, role=role)
    if membership.user_id == actor.pk:
        raise ValidationError(_("Нельзя изменить собственную роль."))
    if role == membership.role:
        return membership
    _require_above_staff(actor=actor, organization=membership.organization, role=membership.role)
    _require_another_staff(membership)
    membership.role = role
    try:
        membership.full_clean()
    except ValidationError as exc:
        if NON_FIELD_ERRORS in exc.message_dict:  # the person already holds that role here
            raise ValidationError(_("У этого человека уже есть такая роль в этой организации.")) from exc
        raise
    membership._history_user = actor
    membership.save(update_fields=["role"])
    return membership


def _membership_locked(membership: Membership) -> Membership:
    """Re-read under a row lock: a role changed and removed at once by two staff queue, the second sees
    what the first did. The organisation's staff roles are locked first, in one order: two of them taken
    away at once queue on the same first row (rather than deadlocking) and the second sees it is the last."""
    staff = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Role.STAFF
    )
    list(staff.order_by("pk").values_list("pk"))
    current = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organization")
        .filter(pk=membership.pk)
        .first()
    )
    if current is None:
        raise ValidationError(_("Эту роль уже сняли — обновите страницу."))
    return current


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a membership away (the account stays; history keeps who removed what)."""
    membership = _membership_locked(membership)
    require_grant(actor=actor, organization=membership.organization, role=membership.role)
    if membership.user_id == actor.pk:
        raise ValidationError(_("Нельзя снять роль с самого себя."))
    _require_above_staff(actor=actor, organization=membership.organization, role=membership.role)
    _require_another_staff(membership)
    membership._history_user = actor
    membership.delete()


def _require_over_person(*, actor, person) -> None:
    """The actor must be able to grant every role the person holds: nobody switches off their superior."""
    memberships = list(Membership.objects.filter(user=person).select_related("organization"))
    if person.is_superuser or not memberships:
        raise PermissionDenied
    for membership in memberships:
        require_grant(actor=actor, organization=membership.organization, role=membership.role)
        _require_above_staff(actor=actor, organization=membership.organization, role=membership.role)


@transaction.atomic
def person_deactivate(*, actor, person) -> None:
    """Switch an account off (never deleted): sign-in is refused and every open session ends."""
    if person.pk == actor.pk:
        raise ValidationError(_("Нельзя отключить собственную учётную запись."))
    _require_over_person(actor=actor, person=person)
    person.is_active = False
    person._history_user = actor
    # ModelBackend.get_user refuses an inactive user: every session of theirs is anonymous from the next
    # request on, whatever the session engine, with no scan of the session store.
    person.save(update_fields=["is_active"])


@transaction.atomic
def person_reactivate(*, actor, person) -> None:
    if person.pk == actor.pk:
        raise ValidationError(_("Нельзя включить собственную учётную запись."))
    _require_over_person(actor=actor, person=person)
    person.is_active = True
    person._history_user = actor
    person.save(update_fields=["is_active"])


def invitation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("organizations:people-set-password", args=[uid, default_token_generator.make_token(user)])


def _invitation_message(*, user, organization: Organization) -> EmailMessage:
    expires = timezone.localtime() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return _message(
        user,
        _("Приглашение на портал дорожных карт"),
        "organizations/people/invitation_email.txt",
        {"organization": organization, "url": _absolute(invitation_path(user)), "expires": expires},
    )


def _access_notice_message(*, membership: Membership) -> EmailMessage:
    """Someone who already signs in got one more role: they are told, no link needed."""
    return _message(
        membership.user,
        _("Новая роль на портале дорожных карт"),
        "organizations/people/access_email.txt",
        {"membership": membership, "url": _absolute(reverse("login"))},
    )


def _send_invitation(*, user, organization: Organization) -> None:
    _invitation_message(user=user, organization=organization).send()


def _send_access_notice(*, membership: Membership) -> None:
    _access_notice_message(membership=membership).send()


def invitations_send(*, membership_ids: list[int]) -> int:
    """The mails for memberships given in bulk (the Excel onboarding), over one connection: an invitation
    to set a password for an account without one, a notice of the new role otherwise. Memberships removed
    since, or of accounts switched off since, get nothing. Returns how many were sent."""
    memberships = Membership.objects.filter(pk__in=membership_ids, user__is_active=True).select_related(
        "user", "organization"
    )
    messages = [
        _access_notice_message(membership=m)
        if m.user.has_usable_password()
        else _invitation_message(user=m.user, organization=m.organization)
        for m in memberships.order_by("pk")
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _message(user, subject: str, template: str, context: dict) -> EmailMessage:
    body = render_to_string(template, {"user": user, **context})
    return EmailMessage(subject=subject, body=body, to=[user.email])


def invitation_accepted(*, user) -> None:
    """The invited person set their password: whoever invited them hears of it (one notice per person)."""
    memberships = Membership.history.filter(user_id=user.pk, history_type="+", history_user__isnull=False)
    invited = list(memberships.values_list("history_user_id", "organization_id"))
    if not invited:
        return
    name = user.get_full_name() or user.email or user.username
    notify(
        message=Message(
            event=Event.INVITATION_ACCEPTED,
            key=f"invitation:{user.pk}",
            title=f"Приглашение принято: {name}",
            body="Пароль задан, вход в портал выполнен.",
            url=reverse("organizations:people-list", args=[invited[0][1]]),
        ),
        recipient_ids={inviter for inviter, _organization in invited} - {user.pk},
    )
