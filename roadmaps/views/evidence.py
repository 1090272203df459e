"""Evidence: a file or a link opened from the portal, a file by its signed public link, and staff revoking
or re-issuing that link."""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from roadmaps import selectors, services
from roadmaps.access import evidence_get_for_link_change, evidence_get_for_user
from roadmaps.evidence_links import evidence_for_public_link
from roadmaps.models import Comment, Evidence

# A link is followed only to the web: javascript:, data:, file: and the rest are never offered as a link.
FOLLOWABLE_SCHEMES = ("http", "https")


def attachment_response(attachment: Evidence | Comment, *, inline: bool = False) -> FileResponse:
    """The file as a download that no browser renders or caches (evidence, its public link, a comment's);
    `inline` only for a preview of a type decided at upload (evidence_preview)."""
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        # The type was decided from the content at upload; nosniff keeps browsers from guessing another.
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence files have no public URL; this view serves them to whoever may see the checkpoint.

    A link is never a redirect (the portal's address would send people wherever a coordinator typed):
    it opens a page showing the whole address, and the person decides to follow it.
    """
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    if evidence.file:
        return attachment_response(evidence)
    if not evidence.url:
        raise Http404
    return evidence_link_page(request, evidence)


@require_safe
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def evidence_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDF or an image shown inside the verification queue's card: the same scope check as a download,
    inline only for the types decided from the content at upload (PDF, PNG, JPEG), framed only by the
    portal's own pages; anything else — a DOCX, a link — is never rendered here."""
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    if not selectors.evidence_preview_kind(evidence):
        raise Http404
    return attachment_response(evidence, inline=True)


def evidence_link_page(request: HttpRequest, evidence: Evidence) -> HttpResponse:
    """«Вы переходите по внешней ссылке»: the address in full, and a link only for http and https."""
    parts = urlsplit(evidence.url.strip())
    followable = parts.scheme.lower() in FOLLOWABLE_SCHEMES and bool(parts.hostname)
    context = {
        "evidence": evidence,
        "url": evidence.url.strip(),
        "host": parts.hostname or "",
        "followable": followable,
    }
    response = render(request, "roadmaps/evidence_link.html", context, status=200 if followable else 400)
    # The page's own address (which evidence, which checkpoint) stays out of the other site's logs.
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_not_required
# HEAD too: Office probes a hyperlink with HEAD before handing it to the browser.
@require_safe
def evidence_public(request: HttpRequest, token: str) -> HttpResponse:
    """A federal reviewer opens an accepted report's file from the exported form, without an account."""
    evidence = evidence_for_public_link(token)
    if evidence is None:
        raise Http404
    response = attachment_response(evidence)
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
