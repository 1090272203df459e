"""A roadmap's indicators: the list with targets and reported values, and staff's create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmaps import selectors, services
from roadmaps.access import indicator_get_for_change, roadmap_get_for_structure, roadmap_get_for_user
from roadmaps.forms import IndicatorForm
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
