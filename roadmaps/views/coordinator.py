"""«Мои мероприятия»: a coordinator's checkpoints, reporting them in place, evidence, indicator values."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organizations.models import Organization
from roadmaps import selectors, services
from roadmaps.access import checkpoint_get_for_report, indicator_get_for_value
from roadmaps.forms import CheckpointReportForm, IndicatorValueForm
from roadmaps.models import Checkpoint, Indicator
from roadmaps.views._common import add_service_errors, page_number, scope_of, today
from roadmaps.views.counters import counts_changed

ROW_TEMPLATE = "roadmaps/partials/checkpoint_row.html"
OVERVIEW_ROWS = 20


def my_checkpoints(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("roadmaps.use_my_checkpoints"):
        raise PermissionDenied
    scope = scope_of(request)
    only = request.GET.get("group")
    if only not in selectors.GROUP_TITLES:
        only = None
    page = page_number(request)
    # The overview is a phone-length to-do list: each group's first rows and «Показать все (N)».
    limit = 100 if only else OVERVIEW_ROWS
    groups = selectors.my_checkpoints(
        scope=scope, today=today(), limit=limit, only=only, offset=(page - 1) * limit
    )
    context = {
        "groups": groups,
        "only": only,
        "page_number": page,
        "has_next": bool(only) and groups[0].count > page * limit,
        "limit": limit,
        "indicators": [] if only else _indicator_rows(selectors.my_indicators(scope=scope)),
        "today": today(),
    }
    return render(request, "roadmaps/checkpoint_list.html", context)


def _indicator_rows(indicators: list[Indicator]) -> list[dict]:
    rows = []
    for indicator in indicators:
        organizations = [
            r.organization for r in indicator.activity.my_responsibilities if r.organization.is_active
        ]
        rows.append(
            {
                "indicator": indicator,
                "form": _indicator_form(indicator, organizations),
                "values": list(indicator.values.all()),
            }
        )
    return rows


def _indicator_form(indicator: Indicator, organizations: list[Organization], data=None) -> IndicatorValueForm:
    roadmap = indicator.roadmap
    current_year = today().year
    initial_year = min(max(current_year, roadmap.year_start), roadmap.year_end)
    form = IndicatorValueForm(
        data,
        organizations=organizations,
        years=range(roadmap.year_start, roadmap.year_end + 1),
        needs_weight=indicator.needs_weight,
        initial={
            "year": initial_year,
            "organization": organizations[0].pk if len(organizations) == 1 else None,
        },
        prefix=f"ind{indicator.pk}",
    )
    form.organization_list = organizations
    return form


def _row_response(request: HttpRequest, checkpoint: Checkpoint, **extra) -> HttpResponse:
    selectors.checkpoint_row(checkpoint=checkpoint, scope=scope_of(request), role="coordinator")
    return counts_changed(
        render(request, ROW_TEMPLATE, {"checkpoint": checkpoint, "today": today(), **extra})
    )


def _result_to_start_with(checkpoint: Checkpoint) -> str:
    """A returned report is written anew: its old text is shown above the form, never merged into it."""
    return "" if checkpoint.status == Checkpoint.Status.RETURNED else checkpoint.result


def checkpoint_report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the report form (a row fragment for htmx, a page otherwise); POST: report and show the row."""
    checkpoint = checkpoint_get_for_report(user=request.user, pk=pk)
    if request.method == "POST":
        form = CheckpointReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                checkpoint = services.checkpoint_report(
                    actor=request.user,
                    checkpoint=checkpoint,
                    actual_date=data["actual_date"],
                    result=data["result"],
                    url=data["url"],
                    file=data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if request.htmx:
                    return _row_response(request, checkpoint, just_reported=True)
                return redirect("roadmaps:my-checkpoints")
    elif request.GET.get("cancel") and request.htmx:
        return _row_response(request, checkpoint)
    else:
        form = CheckpointReportForm(
            initial={"actual_date": today(), "result": _result_to_start_with(checkpoint)}
        )
    context = {"checkpoint": checkpoint, "form": form, "today": today()}
    if checkpoint.status == Checkpoint.Status.RETURNED:
        context["previous_result"] = checkpoint.result
    if request.htmx:
        selectors.checkpoint_row(checkpoint=checkpoint, scope=scope_of(request), role="coordinator")
        return render(request, "roadmaps/partials/checkpoint_report_form.html", context)
    return render(request, "roadmaps/checkpoint_form.html", context)


@require_POST
def indicator_value_set(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_get_for_value(user=request.user, pk=pk)
    scope = scope_of(request)
    organizations = list(
        Organization.objects.filter(
            scope.q("path", "coordinator"),
            responsibilities__activity_id=indicator.activity_id,
            is_active=True,
        ).distinct()
    )
    form = _indicator_form(indicator, organizations, data=request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.indicator_value_set(
                actor=request.user,
                indicator=indicator,
                year=data["year"],
                organization=data["organization"],
                value=data["value"],
                weight=data.get("weight"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not request.htmx:
        return redirect(reverse("roadmaps:my-checkpoints") + "#indicators")
    values = indicator.values.filter(scope.q("organization__path", "coordinator")).select_related(
        "organization"
    )
    indicator_values = list(values.order_by("year", "organization__short_name"))
    return render(
        request,
        "roadmaps/partials/indicator_row.html",
        {"row": {"indicator": indicator, "form": form, "values": indicator_values}, "saved": saved},
    )
