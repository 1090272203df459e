"""The organisation directory: the tree of the user's scope, an organisation's page, and staff's forms to
add, edit, move, deactivate and bring back organisations (the services decide, the views translate)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import selectors, services
from organizations.forms import OrganizationForm, OrganizationMoveForm, OrganizationSearchForm
from organizations.models import Organization
from organizations.scope import user_scope
from organizations.services import EDITABLE_FIELDS
from roadmaps.services import ConcurrentEditError
from roadmaps.views._common import add_service_errors, edit_conflict_response, querystring_without_page

FORM_TEMPLATE = "organizations/organization_form.html"


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    """Without a search: one level of the tree (`?node=`, the scope's tops by default); with one: a flat
    page of matches."""
    scope = user_scope(request.user)
    search = OrganizationSearchForm(request.GET or None)
    wanted = search.cleaned_data if search.is_valid() else {}
    inactive = bool(wanted.get("inactive"))
    context: dict = {"search": search, "querystring": querystring_without_page(request)}
    if wanted.get("q") or wanted.get("kind"):
        context["found"] = selectors.organization_search(
            scope=scope,
            text=wanted["q"],
            kind=wanted["kind"],
            page=request.GET.get("page"),
            inactive=inactive,
        )
    else:
        node_pk = request.GET.get("node", "")
        node = None
        if node_pk.isascii() and node_pk.isdigit() and len(node_pk) < 12:
            node = selectors.organization_get_for_user(user=request.user, pk=int(node_pk))
        context["level"] = selectors.organization_tree_level(
            scope=scope, node=node, page=request.GET.get("page"), inactive=inactive
        )
    return render(request, "organizations/organization_list.html", context)


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get_for_user(user=request.user, pk=pk)
    context = {
        "page": selectors.organization_page(
            user=request.user, organization=organization, page=request.GET.get("page")
        ),
        "can_change": request.user.has_perm("organizations.manage_organization", organization),
        "can_place": request.user.has_perm("organizations.place_organization", organization),
    }
    return render(request, "organizations/organization_detail.html", context)


def _form_context(form, *, title: str, subject: Organization, submit: str) -> dict:
    return {
        "form": form,
        "title": title,
        "subject": subject,
        "submit": submit,
        "cancel_url": reverse("organizations:organization-detail", args=[subject.pk]),
    }


def _form_page(request: HttpRequest, form, **context) -> HttpResponse:
    return render(request, FORM_TEMPLATE, _form_context(form, **context))


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new organisation directly under `pk`."""
    parent = selectors.organization_get_for_change(user=request.user, pk=pk)
    form = OrganizationForm(
        request.POST or None, region_id=parent.region_id, initial={"kind": Organization.Kind.SCHOOL}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            created = services.organization_create(
                actor=request.user,
                full_name=data.pop("full_name"),
                short_name=data.pop("short_name"),
                parent=parent,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Организация «%(name)s» добавлена.") % {"name": created})
            return redirect("organizations:organization-detail", pk=created.pk)
    return _form_page(request, form, title=_("Новая организация"), subject=parent, submit=_("Добавить"))


@require_http_methods(["GET", "POST"])
def organization_update(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get_for_change(user=request.user, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization, region_id=organization.region_id)
    title, submit = _("Изменить организацию"), _("Сохранить")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.organization_update(
                actor=request.user, organization=organization, expected_version=data.pop("version"), **data
            )
        except ConcurrentEditError as exc:
            context = _form_context(form, title=title, subject=organization, submit=submit)
            return edit_conflict_response(
                request,
                FORM_TEMPLATE,
                context,
                form=form,
                current=exc.current,
                fields=EDITABLE_FIELDS,
                noun=_("организацию"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Сведения об организации сохранены."))
            return redirect("organizations:organization-detail", pk=pk)
    return _form_page(request, form, title=title, subject=organization, submit=submit)


@require_http_methods(["GET", "POST"])
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get_for_placement(user=request.user, pk=pk)
    targets = selectors.move_targets_for_user(user=request.user, organization=organization)
    form = OrganizationMoveForm(
        request.POST or None, targets=targets, initial={"parent": organization.parent_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_move(
                actor=request.user, organization=organization, parent=form.cleaned_data["parent"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Организация перенесена."))
            return redirect("organizations:organization-detail", pk=pk)
    return _form_page(
        request, form, title=_("Перенести организацию"), subject=organization, submit=_("Перенести")
    )


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    organization = selectors.organization_get_for_placement(user=request.user, pk=pk)
    try:
        services.organization_set_active(actor=request.user, organization=organization, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Организация снова действует.") if active else _("Организация отключена.")
        )
    return redirect("organizations:organization-detail", pk=pk)


@require_POST
def organization_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@require_POST
def organization_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)
