"""Projects and their participants in the browser: the tree, a project's page, the «500+» list of a
region's participating schools with their curators and progress, and staff's forms (the services decide,
the views translate)."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects import selectors, services
from projects.exporting import write_participants_xlsx
from projects.forms import ParticipantFilterForm, ParticipantForm, ParticipantsAddForm, ProjectForm
from projects.models import Project
from projects.rules import sees_projects
from roadmaps.views._common import add_service_errors, querystring_without_page, today

FORM_TEMPLATE = "projects/project_form.html"


def _posted(request: HttpRequest):
    """The form's data on a POST (even an empty one: refused, not shown as new), None on a GET."""
    return request.POST if request.method == "POST" else None


def _require_projects(request: HttpRequest) -> None:
    if not sees_projects(request.user):
        raise PermissionDenied


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    _require_projects(request)
    context = {
        "nodes": selectors.project_tree(user=request.user),
        "can_create": request.user.has_perm("projects.create_project"),
    }
    return render(request, "projects/project_list.html", context)


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    context = {
        "page": selectors.project_page(user=request.user, project=project, as_of=today()),
        "can_change": request.user.has_perm("projects.manage_project", project),
        "can_add": request.user.has_perm("projects.add_participants", project),
    }
    return render(request, "projects/project_detail.html", context)


def _project_form_page(request, form, *, title: str, submit: str, cancel_url: str) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url}
    return render(request, FORM_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("projects.create_project"):
        raise PermissionDenied
    form = ProjectForm(_posted(request), user=request.user, initial={"level": Project.Level.REGIONAL})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Проект «%(name)s» создан.") % {"name": project})
            return redirect("projects:project-detail", pk=project.pk)
    return _project_form_page(
        request, form, title=_("Новый региональный проект"), submit=_("Создать"),
        cancel_url=reverse("projects:project-list"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_change(user=request.user, pk=pk)
    form = ProjectForm(_posted(request), instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Сведения о проекте сохранены."))
            return redirect("projects:project-detail", pk=pk)
    return _project_form_page(
        request, form, title=_("Изменить проект"), submit=_("Сохранить"),
        cancel_url=reverse("projects:project-detail", args=[pk]),
    )  # fmt: skip


# --- Participants («500+») --------------------------------------------------------------------------------


def _filters(request: HttpRequest, project: Project) -> tuple[ParticipantFilterForm, dict]:
    municipalities, curators = selectors.participant_filter_choices(user=request.user, project=project)
    form = ParticipantFilterForm(request.GET or None, municipalities=municipalities, curators=curators)
    wanted = form.cleaned_data if form.is_valid() else {}
    filters = {
        "text": wanted.get("q") or "",
        "municipality": wanted.get("municipality"),
        "curator": wanted.get("curator") or "",
    }
    return form, filters


@require_GET
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    form, filters = _filters(request, project)
    page_obj, rows = selectors.participant_page(
        user=request.user, project=project, as_of=today(), page=request.GET.get("page"), **filters
    )
    for row in rows:
        row.can_change = request.user.has_perm("projects.manage_participant", row.participant)
    context = {
        "project": project,
        "search": form,
        "page_obj": page_obj,
        "rows": rows,
        "querystring": querystring_without_page(request),
        "can_add": request.user.has_perm("projects.add_participants", project),
        "manages": any(row.can_change for row in rows),
    }
    return render(request, "projects/participant_list.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def participant_export(request: HttpRequest, pk: int) -> FileResponse:
    """The same list as the page (same filters, every page) as .xlsx, written in batches to a temporary
    file and streamed."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    _form, filters = _filters(request, project)
    rows = selectors.participant_rows_all(user=request.user, project=project, as_of=today(), **filters)
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    write_participants_xlsx(target, project=project, rows=rows, as_of=today())
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=f"participants-{project.code}.xlsx", content_type=XLSX
    )


@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one school or many at once: ИНН or names pasted one a line, with one curator for all."""
    project = selectors.project_get_for_participants(user=request.user, pk=pk)
    form = ParticipantsAddForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resolved = selectors.organizations_from_lines(user=request.user, text=data["organizations"])
        if resolved.unknown:
            unknown = "; ".join(resolved.unknown)
            message = _("Не найдены среди действующих организаций вашей области доступа: %(lines)s.")
            form.add_error("organizations", message % {"lines": unknown})
        if resolved.ambiguous:
            ambiguous = "; ".join(resolved.ambiguous)
            message = _("Подходят несколько организаций, укажите ИНН: %(lines)s.")
            form.add_error("organizations", message % {"lines": ambiguous})
        if form.is_valid():
            try:
                result = services.participants_add(
                    actor=request.user,
                    project=project,
                    organizations=resolved.organizations,
                    curator=data["curator"],
                    curator_user=data["curator_user"],
                    curator_name=data["curator_name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Добавлено участников: %(n)s.") % {"n": len(result.added)})
                if result.already:
                    names = ", ".join(f"«{org}»" for org in result.already)
                    messages.info(request, _("Уже участвовали: %(names)s.") % {"names": names})
                return redirect("projects:participant-list", pk=pk)
    context = {"form": form, "project": project, "title": _("Добавить участников"), "submit": _("Добавить"),
               "cancel_url": reverse("projects:participant-list", args=[pk])}  # fmt: skip
    return render(request, "projects/participant_form.html", context)


@require_http_methods(["GET", "POST"])
def participant_update(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get_for_change(user=request.user, pk=pk)
    initial = {
        "curator": participant.curator_id,
        "curator_user": participant.curator_user_id,
        "curator_name": participant.curator_name,
        "note": participant.note,
    }
    form = ParticipantForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Куратор «%(name)s» сохранён.") % {"name": participant.organization})
            return redirect("projects:participant-list", pk=participant.project_id)
    context = {"form": form, "project": participant.project, "participant": participant,
               "title": _("Куратор участника"), "submit": _("Сохранить"),
               "cancel_url": reverse("projects:participant-list", args=[participant.project_id])}  # fmt: skip
    return render(request, "projects/participant_form.html", context)


@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get_for_change(user=request.user, pk=pk)
    services.participant_remove(actor=request.user, participant=participant)
    messages.success(
        request, _("«%(name)s» больше не участвует в проекте.") % {"name": participant.organization}
    )
    return redirect("projects:participant-list", pk=participant.project_id)
