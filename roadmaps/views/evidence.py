"""Evidence files by their signed public link, and staff revoking or re-issuing that link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from roadmaps import services
from roadmaps.access import evidence_get_for_link_change
from roadmaps.evidence_links import evidence_for_public_link
from roadmaps.models import Evidence


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The file as a download that no browser renders or caches (both the portal's and the public link)."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        # The type was decided from the content at upload; nosniff keeps browsers from guessing another.
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
# HEAD too: Office probes a hyperlink with HEAD before handing it to the browser.
@require_safe
def evidence_public(request: HttpRequest, token: str) -> HttpResponse:
    """A federal reviewer opens an accepted report's file from the exported form, without an account."""
    evidence = evidence_for_public_link(token)
    if evidence is None:
        raise Http404
    response = evidence_file_response(evidence)
    # The token is the credential: it must not leak to whatever the file links to.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _change_link(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    evidence = evidence_get_for_link_change(user=request.user, pk=pk)
    try:
        service(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % {"name": evidence.original_name})
    return redirect("roadmaps:activity-detail", pk=evidence.checkpoint.activity_id)


@require_POST
def evidence_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_link(
        request,
        pk,
        services.evidence_public_link_revoke,
        _("Публичная ссылка на файл «%(name)s» отозвана: по ней файл больше не откроется."),
    )


@require_POST
def evidence_link_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_link(
        request,
        pk,
        services.evidence_public_link_reissue,
        _(
            "Для файла «%(name)s» выдана новая публичная ссылка: она появится в следующей выгрузке "
            "формы, прежние ссылки больше не действуют."
        ),
    )
