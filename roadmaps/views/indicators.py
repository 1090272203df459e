"""A roadmap's indicators: the list with targets and reported values, and staff's create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.scope import user_scope
from roadmaps import selectors, services
from roadmaps.access import (
    indicator_get_for_breakdown,
    indicator_get_for_change,
    indicator_get_for_organization_targets,
    roadmap_get_for_structure,
    roadmap_get_for_user,
)
from roadmaps.forms import IndicatorForm, OrganizationTargetsForm
from roadmaps.models import Indicator, Roadmap
from roadmaps.views._common import add_service_errors, edit_conflict_response

FORM_TEMPLATE = "roadmaps/indicator_form.html"


def indicator_list(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    context = {
        "roadmap": roadmap,
        "table": selectors.indicator_list(roadmap=roadmap),
        "can_manage": request.user.has_perm("roadmaps.manage_roadmap", roadmap),
    }
    return render(request, "roadmaps/indicator_list.html", context)


def _save(request: HttpRequest, form: IndicatorForm, roadmap: Roadmap, indicator: Indicator | None) -> bool:
    """False when the service refused the data (its errors are on the form); an edit someone else's save
    overtook raises ConcurrentEditError."""
    data = form.cleaned_data
    try:
        services.indicator_save(
            actor=request.user,
            roadmap=roadmap,
            indicator=indicator,
            name=data["name"],
            unit=data["unit"],
            base_value=data["base_value"],
            base_year=data["base_year"],
            activity=data["activity"],
            targets=form.targets(),
            aggregation=data["aggregation"],
            expected_version=form.opened_version() if indicator is not None else None,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    form = IndicatorForm(request.POST or None, roadmap=roadmap)
    if request.method == "POST" and form.is_valid() and _save(request, form, roadmap, None):
        messages.success(request, _("Показатель добавлен."))
        return redirect("roadmaps:indicator-list", pk=roadmap.pk)
    return render(request, FORM_TEMPLATE, {"roadmap": roadmap, "form": form})


def indicator_update(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_get_for_change(user=request.user, pk=pk)
    roadmap = indicator.roadmap
    form = IndicatorForm(request.POST or None, roadmap=roadmap, indicator=indicator)
    context = {"roadmap": roadmap, "form": form, "indicator": indicator}
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, roadmap, indicator)
        except services.ConcurrentEditError as exc:
            values = form.saved_values(exc.current)  # targets re-read, as the other user left them
            return edit_conflict_response(
                request,
                FORM_TEMPLATE,
                context,
                form=form,
                current=exc.current,
                fields=list(values),
                noun=_("показатель"),
                saved=values,
            )
        if saved:
            messages.success(request, _("Показатель сохранён."))
            return redirect("roadmaps:indicator-list", pk=roadmap.pk)
    return render(request, FORM_TEMPLATE, context)


@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_get_for_change(user=request.user, pk=pk)
    roadmap_pk = indicator.roadmap_id
    try:
        services.indicator_delete(actor=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Показатель удалён."))
    return redirect("roadmaps:indicator-list", pk=roadmap_pk)


BREAKDOWN_TEMPLATE = "roadmaps/indicator_breakdown.html"


def _year_of(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _breakdown_context(request: HttpRequest, indicator: Indicator, year, sort: str = "name") -> dict:
    breakdown = selectors.indicator_breakdown(
        indicator=indicator, scope=user_scope(request.user), year=_year_of(year), sort=sort
    )
    can_manage = request.user.has_perm("roadmaps.manage_indicator", indicator) and (
        indicator.roadmap.status != indicator.roadmap.Status.ARCHIVED
    )
    return {
        "roadmap": indicator.roadmap,
        "indicator": indicator,
        "breakdown": breakdown,
        "can_manage": can_manage,
        "sort": sort,
        "sorts": selectors.BREAKDOWN_SORTS,
    }


def _targets_form(breakdown, indicator: Indicator, data=None) -> OrganizationTargetsForm:
    organizations = [row.organization for row in breakdown.rows]
    initial = {
        OrganizationTargetsForm.field_name(row.organization.pk): row.target_value for row in breakdown.rows
    }
    return OrganizationTargetsForm(
        data, indicator=indicator, organizations=organizations, year=breakdown.year, initial=initial
    )


def indicator_breakdown(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator for a year by organisation of the user's scope: own target, actual, who entered it
    and when, reached or not; staff of the owner set the own targets in the same table."""
    indicator = indicator_get_for_breakdown(user=request.user, pk=pk)
    context = _breakdown_context(request, indicator, request.GET.get("year"), request.GET.get("sort", "name"))
    if context["can_manage"]:
        context["form"] = _targets_form(context["breakdown"], indicator)
    return _render_breakdown(request, context)


@require_POST
def indicator_organization_targets(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_get_for_organization_targets(user=request.user, pk=pk)
    context = _breakdown_context(request, indicator, request.POST.get("year"))
    breakdown = context["breakdown"]
    if _year_of(request.POST.get("year")) != breakdown.year:
        messages.error(request, _("Год вне периода дорожной карты."))
        return redirect("roadmaps:indicator-breakdown", pk=indicator.pk)
    form = _targets_form(breakdown, indicator, data=request.POST)
    context["form"] = form
    if form.is_valid():
        try:
            services.indicator_organization_targets_set(
                actor=request.user,
                indicator=indicator,
                year=breakdown.year,
                targets=form.targets(),
                organizations=form.organizations,
                expected_version=form.opened_version(),
            )
        except services.ConcurrentEditError as exc:
            saved = {row.organization.pk: row.target_value for row in breakdown.rows}
            values = form.saved_values(saved)
            _pair_fields(context)
            return edit_conflict_response(
                request, BREAKDOWN_TEMPLATE, context, form=form, current=exc.current, fields=list(values),
                noun=_("цели организаций"), saved=values,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Цели организаций сохранены."))
            url = reverse("roadmaps:indicator-breakdown", args=[indicator.pk])
            return redirect(f"{url}?year={breakdown.year}")
    return _render_breakdown(request, context)


def _pair_fields(context: dict) -> None:
    """Each row with its target input (staff, active organisations) for the table."""
    form = context.get("form")
    context["lines"] = [
        (row, form[form.field_name(row.organization.pk)] if form is not None and
         form.field_name(row.organization.pk) in form.fields else None)
        for row in context["breakdown"].rows
    ]  # fmt: skip


def _render_breakdown(request: HttpRequest, context: dict) -> HttpResponse:
    _pair_fields(context)
    return render(request, BREAKDOWN_TEMPLATE, context)
