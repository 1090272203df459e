"""Import a roadmap from a document: upload, preview (deadlines, organisations), then confirm or cancel."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.models import Organization
from roadmaps.access import import_upload_get_for_user, roadmap_get_for_user
from roadmaps.documents.names import roadmap_file_name
from roadmaps.exporting import CONTENT_TYPES, roadmap_export
from roadmaps.forms import ImportPreviewForm
from roadmaps.importing import ImportRefused
from roadmaps.importing.limits import too_big
from roadmaps.importing.preview import build_preview, spelling_groups
from roadmaps.importing.save import approving_act, effective_period, match_organizations, roadmap_import
from roadmaps.models import ImportUpload, Roadmap
from roadmaps.services.imports import (
    ImportUploadNotReady,
    import_upload_create,
    import_upload_discard,
    import_upload_parsed,
)
from roadmaps.views._common import scope_of

# The level a roadmap usually has for its owner's kind; staff change it on the preview when it differs.
LEVEL_OF_OWNER = {
    Organization.Kind.FEDERAL_COORDINATOR: Roadmap.Level.FEDERAL,
    Organization.Kind.REGIONAL_AUTHORITY: Roadmap.Level.REGIONAL,
    Organization.Kind.REGIONAL_CENTRE: Roadmap.Level.REGIONAL,
    Organization.Kind.MUNICIPAL_AUTHORITY: Roadmap.Level.MUNICIPAL,
    Organization.Kind.MUNICIPAL_CENTRE: Roadmap.Level.MUNICIPAL,
    Organization.Kind.SCHOOL: Roadmap.Level.ORGANIZATION,
    Organization.Kind.SUPPLEMENTARY: Roadmap.Level.ORGANIZATION,
}


class ImportUploadForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Организация-владелец"), queryset=Organization.objects.none())
    document = forms.FileField(label=_("Файл дорожной карты (.docx, .xlsx, .txt, .tsv, .csv)"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(too_big(settings.UPLOAD_MAX_BYTES))
        return document


def _owners_for(request: HttpRequest):
    scope = scope_of(request)
    if not scope.has_role("staff"):
        raise PermissionDenied
    return (
        Organization.objects.active().filter(scope.q("path", "staff")).exclude(kind=Organization.Kind.SCHOOL)
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Keep the file and answer at once with its progress page: parsing runs in a worker."""
    owners = _owners_for(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        document, owner = form.cleaned_data["document"], form.cleaned_data["owner"]
        data = document.read()
        upload = import_upload_create(actor=request.user, owner=owner, file_name=document.name, data=data)
        return redirect("roadmaps:import-status", token=upload.token)
    return _upload_page(request, form)


def _upload_page(request: HttpRequest, form: ImportUploadForm, refused: ImportUpload | None = None):
    context = {"form": form, "refused": refused, "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
    return render(request, "roadmaps/import_upload.html", context)


@require_GET
def import_status(request: HttpRequest, token: str) -> HttpResponse:
    """The upload's progress; htmx polls the fragment and is sent on to the preview once the file is
    parsed, or back to this page, which then shows the refusal with the upload form."""
    upload = import_upload_get_for_user(user=request.user, token=token)
    if upload.is_finished:
        if upload.status == ImportUpload.Status.READY:
            target = reverse("roadmaps:import-preview", args=[token, upload.owner_id])
        else:
            target = reverse("roadmaps:import-status", args=[token])
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": target})
        if upload.status == ImportUpload.Status.READY:
            return redirect(target)
        form = ImportUploadForm(owners=_owners_for(request), initial={"owner": upload.owner_id})
        return _upload_page(request, form, refused=upload)
    template = "roadmaps/partials/import_progress.html" if request.htmx else "roadmaps/import_status.html"
    return render(request, template, {"upload": upload})


def _pending(request: HttpRequest, token: str, owner_pk: int):
    upload, parsed = import_upload_parsed(user=request.user, token=token)
    owner = _owners_for(request).filter(pk=owner_pk).first()
    if owner is None:
        raise Http404
    return parsed, owner, upload.file_name


def imported_message(count: int) -> str:
    """«Дорожная карта импортирована: 23 мероприятия.» (three Russian forms: 1, 2–4, 5 and more)."""
    return ngettext(
        "Дорожная карта импортирована: %(count)s мероприятие.",
        "Дорожная карта импортирована: %(count)s мероприятий.",
        count,
    ) % {"count": count}


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str, owner: int) -> HttpResponse:
    try:
        parsed, owner_org, filename = _pending(request, token, owner)
    except ImportUploadNotReady:  # opened before the parse ended (a second tab, a bookmark)
        return redirect("roadmaps:import-status", token=token)
    candidates = list(Organization.objects.active().subtree_of(owner_org).only("id", "short_name"))
    act = approving_act(parsed)
    matches = match_organizations(parsed, owner=owner_org)
    groups = spelling_groups(matches)
    initial = _passport_initial(parsed, owner_org, filename)
    in_subtree = {o.pk for o in candidates}
    initial.update(
        {
            f"org-{i}": g.suggested.pk
            for i, g in enumerate(groups)
            if g.suggested and g.suggested.pk in in_subtree
        }
    )
    form = ImportPreviewForm(
        _with_defaults(request.POST, initial) if request.method == "POST" else None,
        initial=initial,
        owners=_owners_for(request),
        spellings=[group.names for group in groups],
        candidates=candidates,
        can_approve=act is not None,
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["owner"] != owner_org:
        # Organisations were matched and offered in the old owner's subtree: match them again first.
        messages.info(request, _("Владелец изменён: проверьте сопоставление организаций для него."))
        return redirect("roadmaps:import-preview", token=token, owner=form.cleaned_data["owner"].pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mapping, create = form.mapping()
        try:
            roadmap = roadmap_import(
                actor=request.user,
                parsed=parsed,
                owner=data["owner"],
                mapping=mapping,
                create=create,
                title=_title_for(data["title"], parsed.title, filename),
                token=token,
                approve=data.get("approve", False),
                period=(data["year_start"], data["year_end"]),
                level=data["level"],
                project=data["project"],
            )
        except ImportRefused as exc:
            messages.error(request, exc.message)
        else:
            import_upload_discard(actor=request.user, token=token)
            messages.success(
                request,
                imported_message(len(parsed.activities)),
            )
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    period = None
    if form.is_bound and form.is_valid():  # the deadlines as they will be read over the period typed
        period = (form.cleaned_data["year_start"], form.cleaned_data["year_end"])
    return render(
        request,
        "roadmaps/import_preview.html",
        {
            "preview": build_preview(parsed, owner=owner_org, period=period, matches=matches),
            "form": form,
            "owner": owner_org,
            "filename": filename,
            "token": token,
            "approving_act": act,
        },
    )


def _with_defaults(post: QueryDict, initial: dict) -> QueryDict:
    """A confirmation that leaves a passport field out (a script, an old page) keeps the document's value;
    a field sent empty stays empty, so the form refuses it."""
    data = post.copy()
    for name, value in initial.items():
        if name not in data:
            data[name] = value
    return data


def _passport_initial(parsed, owner: Organization, filename: str) -> dict:
    """What the preview's passport fields start with: the document's, else a guess staff can correct."""
    year_start, year_end = effective_period(parsed)
    return {
        "title": _title_for("", parsed.title, filename),
        "owner": owner.pk,
        "year_start": year_start,
        "year_end": year_end,
        "level": LEVEL_OF_OWNER.get(owner.kind, Roadmap.Level.REGIONAL),
    }


def _title_for(entered: str, parsed_title: str, filename: str) -> str:
    """What the person typed on the preview, else the document's title, else the file's name — never
    a generic placeholder when the file says something."""
    return " ".join(entered.split()) or parsed_title or Path(filename).stem.replace("_", " ").strip()


@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    import_upload_get_for_user(user=request.user, token=token)
    import_upload_discard(actor=request.user, token=token)
    messages.info(request, _("Импорт отменён, ничего не сохранено."))
    return redirect("roadmaps:roadmap-list")


@require_GET
def roadmap_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The roadmap as .xlsx, .docx (the approved form, importable back) or PDF, for anyone who may see it;
    named «Дорожная карта … на 2026 год — 01.12.2026.pdf»."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(roadmap_export(roadmap, file_format), content_type=CONTENT_TYPES[file_format])
    name = roadmap_file_name(
        title=roadmap.title,
        year_start=roadmap.year_start,
        year_end=roadmap.year_end,
        day=timezone.localdate(),
        extension=file_format,
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
