"""Import a roadmap from a document: upload, preview (deadlines, organisations), then confirm or cancel."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations.models import Organization
from roadmaps.access import roadmap_get_for_user
from roadmaps.exporting import CONTENT_TYPES, roadmap_export
from roadmaps.importing import ImportRefused, parse_file
from roadmaps.importing.preview import build_preview
from roadmaps.importing.save import approving_act, roadmap_import
from roadmaps.importing.uploads import upload_discard, upload_keep, upload_read
from roadmaps.views._common import scope_of

KEEP_AS_TEXT = ""
CREATE_NEW = "new"


class ImportUploadForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Организация-владелец"), queryset=Organization.objects.none())
    document = forms.FileField(label=_("Файл дорожной карты (.docx, .xlsx, .txt, .tsv, .csv)"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("Файл больше 20 МБ."))
        return document


def _owners_for(request: HttpRequest):
    scope = scope_of(request)
    if not scope.has_role("staff"):
        raise PermissionDenied
    return Organization.objects.filter(scope.q("path", "staff")).exclude(kind=Organization.Kind.SCHOOL)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    owners = _owners_for(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        data = document.read()
        try:
            parse_file(data, document.name)
        except ImportRefused as exc:
            form.add_error("document", exc.message)
        else:
            token = upload_keep(user_id=request.user.pk, data=data, filename=document.name)
            return redirect("roadmaps:import-preview", token=token, owner=form.cleaned_data["owner"].pk)
    return render(request, "roadmaps/import_upload.html", {"form": form})


def _pending(request: HttpRequest, token: str, owner_pk: int):
    found = upload_read(user_id=request.user.pk, token=token)
    owner = _owners_for(request).filter(pk=owner_pk).first()
    if found is None or owner is None:
        raise Http404
    data, filename = found
    return parse_file(data, filename), owner, filename


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, token: str, owner: int) -> HttpResponse:
    parsed, owner_org, filename = _pending(request, token, owner)
    preview = build_preview(parsed, owner=owner_org)
    candidates = Organization.objects.subtree_of(owner_org).only("id", "short_name")
    if request.method == "POST":
        by_pk = {str(o.pk): o for o in candidates}
        mapping, create = {}, []
        for index, name in enumerate(preview.unknown_organizations):
            choice = request.POST.get(f"org-{index}", KEEP_AS_TEXT)
            if choice == CREATE_NEW:
                create.append(name)
            elif choice in by_pk:
                mapping[name] = by_pk[choice]
        try:
            roadmap = roadmap_import(
                actor=request.user,
                parsed=parsed,
                owner=owner_org,
                mapping=mapping,
                create=create,
                title=_title_for(request.POST.get("title", ""), parsed.title, filename),
                token=token,
                approve=request.POST.get("approve") == "on",
            )
        except ImportRefused as exc:
            messages.error(request, exc.message)
        else:
            upload_discard(user_id=request.user.pk, token=token)
            messages.success(
                request,
                _("Дорожная карта импортирована: %(count)s мероприятий.") % {"count": len(parsed.activities)},
            )
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return render(
        request,
        "roadmaps/import_preview.html",
        {
            "preview": preview,
            "owner": owner_org,
            "filename": filename,
            "candidates": candidates,
            "token": token,
            "CREATE_NEW": CREATE_NEW,
            "fallback_title": _title_for("", parsed.title, filename),
            "approving_act": approving_act(parsed),
        },
    )


def _title_for(entered: str, parsed_title: str, filename: str) -> str:
    """What the person typed on the preview, else the document's title, else the file's name — never
    a generic placeholder when the file says something."""
    return " ".join(entered.split()) or parsed_title or Path(filename).stem.replace("_", " ").strip()


@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    upload_discard(user_id=request.user.pk, token=token)
    messages.info(request, _("Импорт отменён, ничего не сохранено."))
    return redirect("roadmaps:roadmap-list")


def roadmap_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The roadmap as .xlsx or .docx in the importable layout, for anyone who may see it."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(roadmap_export(roadmap, file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}.{file_format}"'
    return response
