"""A roadmap's edited .xlsx brought back as an update: upload, preview (added / changed field by field /
removed), confirm — applied through the services in one transaction (roadmaps/services/updating.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from roadmaps.access import import_upload_get_for_user, roadmap_get_for_structure
from roadmaps.forms_update import UpdateConfirmForm, UpdateUploadForm
from roadmaps.models import ImportUpload, Roadmap
from roadmaps.services.imports import (
    ImportUploadNotReady,
    import_upload_create,
    import_upload_discard,
    import_upload_parsed,
)
from roadmaps.services.updating import UpdateOutdated, roadmap_update_apply, roadmap_update_plan


def _upload_page(request, roadmap: Roadmap, form, *, refused: ImportUpload | None = None, status: int = 200):
    context = {
        "roadmap": roadmap,
        "form": form,
        "refused": refused,
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "roadmaps/update_upload.html", context, status=status)


@require_http_methods(["GET", "POST"])
def roadmap_update_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """«Загрузить изменения из Excel»: staff who manage the roadmap, a draft or an open edition."""
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    form = UpdateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        upload = import_upload_create(
            actor=request.user, owner=roadmap.owner, file_name=document.name, data=document.read()
        )
        return redirect("roadmaps:roadmap-update-preview", pk=roadmap.pk, token=upload.token)
    return _upload_page(request, roadmap, form, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def roadmap_update_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    try:
        upload, parsed = import_upload_parsed(user=request.user, token=token)
    except ImportUploadNotReady:
        upload = import_upload_get_for_user(user=request.user, token=token)
        if upload.owner_id != roadmap.owner_id:
            raise Http404 from None
        if upload.status == ImportUpload.Status.REFUSED:
            return _upload_page(request, roadmap, UpdateUploadForm(), refused=upload)
        return render(request, "roadmaps/update_preview.html", {"roadmap": roadmap, "waiting": upload})
    if upload.owner_id != roadmap.owner_id:
        raise Http404
    form = UpdateConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = roadmap_update_apply(
                actor=request.user,
                roadmap=roadmap,
                parsed=parsed,
                fingerprint=data["fingerprint"],
                confirm_removals=data["confirm_removals"],
            )
        except UpdateOutdated as exc:
            messages.error(request, str(exc))
            form, status = UpdateConfirmForm(), 409
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            status = 400
        else:
            import_upload_discard(actor=request.user, token=token)
            counts = plan.counts()
            messages.success(
                request,
                _(
                    "Изменения из файла применены: добавлено %(added)s, изменено %(changed)s, "
                    "удалено %(removed)s."
                )
                % counts,
            )
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    plan = roadmap_update_plan(roadmap=roadmap, parsed=parsed)
    if status != 400:  # a refused confirmation keeps the fingerprint it was shown with, and its errors
        form = UpdateConfirmForm(initial={"fingerprint": plan.fingerprint})
    context = {
        "roadmap": roadmap,
        "plan": plan,
        "counts": plan.counts(),
        "form": form,
        "token": token,
        "filename": upload.file_name,
    }
    return render(request, "roadmaps/update_preview.html", context, status=status)
