"""Bulk onboarding pages: the upload form (with the template and the export), the preview, the confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.forms import OnboardingUploadForm
from organizations.onboarding import services
from organizations.onboarding.plan import REFUSED, STATUS_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 500  # per sheet, beyond the refused ones (all shown)


def _require_staff(request: HttpRequest) -> None:
    if not request.user.has_perm("organizations.manage_organizations"):
        raise PermissionDenied


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def onboarding_upload(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = OnboardingUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > services.MAX_FILE_BYTES:
            form.add_error("file", f"Файл больше {services.MAX_FILE_BYTES // (1024 * 1024)} МБ.")
        else:
            try:
                upload = services.onboarding_upload_create(
                    actor=request.user, file_name=uploaded.name, data=uploaded.read()
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return redirect("organizations:onboarding-preview", token=upload.token)
    return render(request, "organizations/onboarding/upload.html", {"form": form})


@require_GET
def onboarding_template(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return _xlsx(services.onboarding_template(), "shablon-organizacii-i-sotrudniki.xlsx")


@require_GET
def onboarding_export(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    name = f"organizacii-i-sotrudniki-{timezone.localdate():%Y-%m-%d}.xlsx"
    return _xlsx(services.onboarding_export(actor=request.user), name)


def _shown(rows: list) -> tuple[list, int]:
    shown = [row for row in rows if row.status == REFUSED]
    shown += [row for row in rows if row.status != REFUSED][: max(SHOWN_ROWS - len(shown), 0)]
    shown.sort(key=lambda row: row.number)
    return shown, len(rows) - len(shown)


@require_GET
def onboarding_preview(request: HttpRequest, token: str) -> HttpResponse:
    upload = services.onboarding_upload_get_for_user(user=request.user, token=token)
    context: dict = {"upload": upload, "labels": STATUS_LABELS}
    if upload.status == upload.Status.READY:
        plan = services.onboarding_preview(actor=request.user, upload=upload)
        organizations, organizations_hidden = _shown(plan.organizations)
        people, people_hidden = _shown(plan.people)
        context |= {
            "plan": plan,
            "organization_counts": plan.counts(plan.organizations),
            "people_counts": plan.counts(plan.people),
            "organizations": organizations,
            "organizations_hidden": organizations_hidden,
            "people": people,
            "people_hidden": people_hidden,
        }
    return render(request, "organizations/onboarding/preview.html", context)


@require_POST
def onboarding_confirm(request: HttpRequest, token: str) -> HttpResponse:
    upload = services.onboarding_upload_get_for_user(user=request.user, token=token)
    try:
        services.onboarding_confirm(actor=request.user, token=upload.token)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("organizations:onboarding-preview", token=token)
