"""«Сотрудники и координаторы»: who is in an organisation, invitations, roles, deactivation; and the
public page an invitation links to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organizations import people
from organizations.forms_people import InviteForm, RoleForm
from organizations.models import Membership, Organization
from organizations.scope import user_scope


def organization_get_for_people(*, user, pk: int) -> Organization:
    """404 outside the user's scope, 403 unless they are staff over it."""
    organization = get_object_or_404(Organization.objects.filter(user_scope(user).q("path")), pk=pk)
    if not people.can_manage_people(actor=user, organization=organization):
        raise PermissionDenied
    return organization


def membership_get_for_people(*, user, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.filter(user_scope(user).q("organization__path")).select_related(
            "user", "organization"
        ),
        pk=pk,
    )
    if not people.can_manage_people(actor=user, organization=membership.organization):
        raise PermissionDenied
    return membership


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    """One query: the organisation's members with their accounts."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "role")
    )


@require_GET
def people_list(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_get_for_people(user=request.user, pk=pk)
    form = InviteForm(actor=request.user, organization=organization)
    return _render_list(request, organization, form)


def _render_list(request: HttpRequest, organization: Organization, form: InviteForm, status: int = 200):
    context = {
        "organization": organization,
        "memberships": membership_list(organization=organization),
        "invite_form": form,
        "roles": people.grantable_roles(actor=request.user, organization=organization),
        "role_choices": Membership.Role.choices,
    }
    return render(request, "organizations/people/people_list.html", context, status=status)


@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_get_for_people(user=request.user, pk=pk)
    form = InviteForm(request.POST, actor=request.user, organization=organization)
    if form.is_valid():
        try:
            membership = people.person_invite(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Приглашение отправлено: %(email)s.") % {"email": membership.user.email}
            )
            return redirect("organizations:people-list", organization.pk)
    return _render_list(request, organization, form, status=400)


def _membership_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    membership = membership_get_for_people(user=request.user, pk=pk)
    try:
        action(membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("organizations:people-list", membership.organization_id)


@require_POST
def membership_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    def change(membership: Membership) -> None:
        form = RoleForm(request.POST, actor=request.user, organization=membership.organization)
        if not form.is_valid():
            raise ValidationError(_("Выберите роль из списка."))
        people.membership_role_change(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )

    return _membership_action(request, pk, change, _("Роль изменена."))


@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request, pk, lambda m: people.membership_remove(actor=request.user, membership=m), _("Роль снята.")
    )


@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request,
        pk,
        lambda m: people.invitation_resend(actor=request.user, membership=m),
        _("Приглашение отправлено ещё раз; прежняя ссылка больше не действует."),
    )


@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request,
        pk,
        lambda m: people.person_deactivate(actor=request.user, person=m.user),
        _("Учётная запись отключена: войти с ней больше нельзя."),
    )


@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_action(
        request,
        pk,
        lambda m: people.person_reactivate(actor=request.user, person=m.user),
        _("Учётная запись снова включена."),
    )


@require_GET
def my_memberships(request: HttpRequest) -> HttpResponse:
    """Which organisations, with which roles, the signed-in person acts for."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__short_name", "role")
    )
    return render(request, "organizations/people/my_memberships.html", {"memberships": memberships})


@method_decorator(login_not_required, name="dispatch")
class InvitationSetPasswordView(auth_views.PasswordResetConfirmView):
    """The page an invitation links to: a password, then signed in and on the landing page of the role."""

    template_name = "organizations/people/set_password.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def get_user(self, uidb64: str):
        user = super().get_user(uidb64)
        # A switched-off account's old invitation must not switch it back on by signing in.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        people.invitation_accepted(user=form.user)
        return response
