from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from archives import selectors, services
from archives.forms import RegionArchiveRequestForm
from archives.rules import may_request_region_archives


@require_http_methods(["GET", "POST"])
def archive_list(request: HttpRequest) -> HttpResponse:
    """The authority's archives and the request form (staff only)."""
    if not may_request_region_archives(request.user):
        raise PermissionDenied(_("Архив данных региона запрашивают сотрудники органа управления."))
    form = RegionArchiveRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            archive = services.region_archive_request(
                actor=request.user, organization=form.cleaned_data["organization"]
            )
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        else:
            return redirect("archives:archive-detail", pk=archive.pk)
    context = {"form": form, "archives": selectors.region_archive_list_for_user(user=request.user)}
    return render(request, "archives/archive_list.html", context, status=400 if form.errors else 200)


@require_GET
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    archive = selectors.region_archive_get_for_user(user=request.user, pk=pk)
    template = "archives/partials/archive_status.html" if request.htmx else "archives/archive_detail.html"
    return render(request, template, {"archive": archive})


@require_GET
def archive_download(request: HttpRequest, pk: int) -> FileResponse:
    archive = selectors.region_archive_get_for_user(user=request.user, pk=pk)
    if (
        archive.status != archive.Status.DONE
        or not archive.file
        or not default_storage.exists(archive.file.name)
    ):
        raise Http404(_("Архив ещё не готов или удалён по сроку хранения."))
    response = FileResponse(
        default_storage.open(archive.file.name, "rb"), as_attachment=True, filename=archive.download_name
    )
    response["X-Content-SHA256"] = archive.sha256
    response["Cache-Control"] = "private, no-store"
    return response
