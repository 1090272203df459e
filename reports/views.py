from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reports import selectors, services
from reports.builders import builders_available_to
from reports.forms import ReportRequestForm, ReportScheduleForm
from reports.models import ReportRun
from reports.public_links import run_get_for_public_token
from reports.rules import may_edit_schedules, may_request_reports


def _scope_options(request: HttpRequest, chosen: str = "") -> selectors.ScopeOptions:
    return selectors.report_scope_options(
        user=request.user, search=request.GET.get("q", ""), chosen=request.POST.get("scope", chosen)
    )


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Reports available for the roadmaps in the user's scope, the request form and their recent runs."""
    if request.method == "POST" and not may_request_reports(request.user):
        raise PermissionDenied(
            _("Формировать отчёты могут сотрудники органов управления, аналитики и наблюдатели.")
        )
    scopes = _scope_options(request)
    builders = builders_available_to(request.user)
    form = ReportRequestForm(request.POST or None, scopes=scopes, builders=builders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.report_run_request(
                actor=request.user,
                kind=data["kind"],
                fmt=data["format"],
                scope=data["report_scope"],
                as_of=data["as_of"],
                options=form.options(),
            )
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            return redirect("reports:run-detail", pk=run.pk)
    context = {
        "form": form,
        "builders": builders,
        "has_roadmaps": scopes.any,
        "scopes": scopes,
        "search": request.GET.get("q", ""),
        "runs": selectors.report_run_list_for_user(user=request.user),
        "may_edit_schedules": may_edit_schedules(request.user),
    }
    return render(request, "reports/index.html", context, status=400 if form.errors else 200)


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress; htmx polls the fragment until the run is finished."""
    run = selectors.report_run_get_for_user(user=request.user, pk=pk)
    template = "reports/partials/run_progress.html" if request.htmx else "reports/run_detail.html"
    return render(request, template, {"run": run})


def run_file_response(run: ReportRun) -> FileResponse:
    """The finished file of a run (its scope already checked by the caller), with its checksum."""
    if run.status != run.Status.DONE or not run.file or not default_storage.exists(run.file.name):
        raise Http404(_("Файл отчёта ещё не готов или удалён."))
    response = FileResponse(
        default_storage.open(run.file.name, "rb"), as_attachment=True, filename=run.download_name or None
    )
    response["X-Content-SHA256"] = run.sha256
    return response


@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    return run_file_response(selectors.report_run_get_for_user(user=request.user, pk=pk))


@login_not_required
@require_GET
def run_public_download(request: HttpRequest, token: str) -> FileResponse:
    """A scheduled report for a recipient without an account, by the signed link e-mailed to them."""
    run = run_get_for_public_token(token)
    if run is None:
        raise Http404(_("Ссылка на отчёт недействительна или срок её действия истёк."))
    response = run_file_response(run)
    # The token is the credential: keep it out of caches and out of Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_schedule_editor(request: HttpRequest) -> None:
    if not may_edit_schedules(request.user):
        raise PermissionDenied(_("Расписания отчётов ведут сотрудники органов управления."))


@require_GET
def schedule_list(request: HttpRequest) -> HttpResponse:
    _require_schedule_editor(request)
    schedules = selectors.report_schedule_list_for_user(user=request.user)
    return render(request, "reports/schedule_list.html", {"schedules": schedules})


@require_http_methods(["GET", "POST"])
def schedule_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a schedule (staff in scope)."""
    _require_schedule_editor(request)
    schedule = selectors.report_schedule_get_for_user(user=request.user, pk=pk) if pk else None
    initial = ReportScheduleForm.initial_from(schedule) if schedule else None
    scopes = _scope_options(request, chosen=(initial or {}).get("scope", ""))
    form = ReportScheduleForm(
        request.POST or None, initial=initial, scopes=scopes, builders=builders_available_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_schedule_save(actor=request.user, schedule=schedule, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            messages.success(request, _("Расписание сохранено."))
            return redirect("reports:schedule-list")
    context = {"form": form, "schedule": schedule, "scopes": scopes, "search": request.GET.get("q", "")}
    return render(request, "reports/schedule_form.html", context)
