"""Closed reporting periods: staff close a quarter, a month or dates for a roadmap or for their whole scope,
and open the period again — or single checkpoints in it — always with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmaps import reporting_periods, services
from roadmaps.access import period_get_for_change, period_organizations_for_user, roadmap_get_for_periods
from roadmaps.forms import PeriodCheckpointsForm, PeriodCloseForm, PeriodReopenForm, ScopePeriodCloseForm
from roadmaps.models import ClosedPeriod
from roadmaps.selectors import periods as selectors
from roadmaps.views._common import add_service_errors, paginate, scope_of, today

LIST_TEMPLATE = "roadmaps/period_list.html"
FORM_TEMPLATE = "roadmaps/period_form.html"


def _list_url(period: ClosedPeriod) -> str:
    if period.roadmap_id:
        return reverse("roadmaps:period-list", args=[period.roadmap_id])
    return reverse("roadmaps:period-scope-list")


def _close_initial() -> dict:
    year, number = reporting_periods.previous_quarter(today())
    return {"kind": "quarter", "year": year, "quarter": number}


def _close(request: HttpRequest, form: PeriodCloseForm, **target) -> bool:
    """Close the period the valid form describes; on refusal the reasons go on the form."""
    span = form.span()
    try:
        period = services.period_close(
            actor=request.user, first_day=span.first_day, last_day=span.last_day, label=span.label, **target
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(
        request,
        _("Период «%(label)s» закрыт: по контрольным точкам со сроком в нём больше нельзя отчитаться.")
        % {"label": period.label},
    )
    return True


def period_list(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_periods(user=request.user, pk=pk)
    context = {
        "roadmap": roadmap,
        "periods": selectors.roadmap_periods(roadmap=roadmap, scope=scope_of(request)),
        "close_url": reverse("roadmaps:period-close", args=[pk]),
    }
    return render(request, LIST_TEMPLATE, context)


def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_periods(user=request.user, pk=pk)
    form = PeriodCloseForm(request.POST or None, initial=_close_initial())
    if request.method == "POST" and form.is_valid() and _close(request, form, roadmap=roadmap):
        return redirect("roadmaps:period-list", pk=pk)
    context = {
        "form": form,
        "title": _("Закрыть отчётный период"),
        "subject": roadmap.title,
        "submit": _("Закрыть период"),
        "cancel_url": reverse("roadmaps:period-list", args=[pk]),
    }
    return render(request, FORM_TEMPLATE, context)


def period_scope_list(request: HttpRequest) -> HttpResponse:
    organizations = period_organizations_for_user(user=request.user)
    context = {
        "organizations": list(organizations),
        "periods": selectors.scope_periods(scope=scope_of(request)),
        "close_url": reverse("roadmaps:period-scope-close"),
    }
    return render(request, LIST_TEMPLATE, context)


def period_scope_close(request: HttpRequest) -> HttpResponse:
    organizations = period_organizations_for_user(user=request.user)
    form = ScopePeriodCloseForm(request.POST or None, initial=_close_initial(), organizations=organizations)
    valid = request.method == "POST" and form.is_valid()
    if valid and _close(request, form, organization=form.cleaned_data["organization"]):
        return redirect("roadmaps:period-scope-list")
    context = {
        "form": form,
        "title": _("Закрыть отчётный период для всей организации"),
        "intro": _(
            "Период закрывается для всех дорожных карт организации и подведомственных ей организаций."
        ),
        "submit": _("Закрыть период"),
        "cancel_url": reverse("roadmaps:period-scope-list"),
    }
    return render(request, FORM_TEMPLATE, context)


def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get_for_change(user=request.user, pk=pk)
    form = PeriodReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_reopen(actor=request.user, period=period, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Период «%(label)s» открыт.") % {"label": period.label})
            return redirect(_list_url(period))
    context = {
        "form": form,
        "title": _("Открыть период «%(label)s»") % {"label": period.label},
        "intro": _("Все контрольные точки со сроком в периоде снова можно будет отчитать и проверить."),
        "submit": _("Открыть период"),
        "cancel_url": reverse("roadmaps:period-detail", args=[pk]),
    }
    return render(request, FORM_TEMPLATE, context)


def _detail(request: HttpRequest, period: ClosedPeriod, form: PeriodCheckpointsForm) -> HttpResponse:
    context = {
        "period": period,
        "page_obj": paginate(request, selectors.period_checkpoint_list(period=period), per_page=100),
        "form": form,
        "reopen_form": PeriodReopenForm(),
        "back_url": _list_url(period),
    }
    return render(request, "roadmaps/period_detail.html", context)


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get_for_change(user=request.user, pk=pk)
    return _detail(request, period, PeriodCheckpointsForm(checkpoints=services.period_checkpoints(period)))


@require_POST
def period_checkpoints(request: HttpRequest, pk: int) -> HttpResponse:
    """«Открыть выбранные» (with a reason) or «Закрыть снова» for the ticked checkpoints of the period."""
    period = period_get_for_change(user=request.user, pk=pk)
    form = PeriodCheckpointsForm(request.POST, checkpoints=services.period_checkpoints(period))
    if form.is_valid():
        data = form.cleaned_data
        change = {"actor": request.user, "period": period, "checkpoints": data["checkpoints"]}
        try:
            if data["action"] == "reopen":
                count = services.checkpoints_reopen(**change, reason=data["reason"])
                done = _("Открыто контрольных точек: %(count)s.")
            else:
                count = services.checkpoints_relock(**change, reason=data["reason"])
                done = _("Снова закрыто контрольных точек: %(count)s.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done % {"count": count})
            return redirect("roadmaps:period-detail", pk=pk)
    return _detail(request, period, form)
