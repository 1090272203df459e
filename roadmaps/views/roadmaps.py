"""Roadmap list, page, create/edit, approval, amendments, archive and the «требует проверки» list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from organizations.models import Organization
from roadmaps import selectors, services
from roadmaps.access import (
    revision_get_for_user,
    roadmap_get_for_structure,
    roadmap_get_for_unarchive,
    roadmap_get_for_user,
    roadmap_list_for_user,
)
from roadmaps.forms import LegalActForm, RevisionForm, RoadmapCreateForm, RoadmapFilter, RoadmapForm
from roadmaps.models import Roadmap
from roadmaps.services import lifecycle
from roadmaps.views._common import (
    add_service_errors,
    edit_conflict_response,
    ignored_filters_message,
    paginate,
    querystring_without_page,
    scope_of,
    today,
)


class RoadmapListView(ListView):
    template_name = "roadmaps/roadmap_list.html"
    context_object_name = "roadmaps"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Roadmap]:
        visible = roadmap_list_for_user(user=self.request.user)
        self.filterset = RoadmapFilter(
            self.request.GET or None, queryset=selectors.roadmap_list(visible=visible)
        )
        if not self.filterset.is_bound:
            return self.filterset.queryset
        ignored_filters_message(self.request, self.filterset.form)
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        # ListView answers 404 to a page it cannot show; the list falls back to the first or last page.
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_ids = [roadmap.pk for roadmap in context["roadmaps"]]
        context.update(
            filter=self.filterset,
            activity_counts=selectors.roadmap_activity_counts(roadmap_ids=page_ids),
            querystring=querystring_without_page(self.request),
            can_create=self.request.user.has_perm("roadmaps.create_roadmap"),
        )
        for roadmap in context["roadmaps"]:
            roadmap.activity_count = context["activity_counts"].get(roadmap.pk, 0)
        return context


def roadmap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    page = selectors.roadmap_get_page(roadmap=roadmap, today=today())
    can_manage = request.user.has_perm("roadmaps.manage_roadmap", roadmap)
    context = {
        "page": page,
        "roadmap": roadmap,
        "can_manage": can_manage,
        "can_edit": can_manage and page.structure_editable,
        # One reverse() instead of one per row: the page lists hundreds of activities.
        "activity_url": reverse("roadmaps:activity-detail", args=[0]).removesuffix("0/"),
    }
    if can_manage:
        context["assignable"] = list(selectors.assignable_organizations(roadmap=roadmap))
    if roadmap.copied_from_id:  # the source only when this user sees it
        visible = roadmap_list_for_user(user=request.user)
        context["copied_from"] = visible.filter(pk=roadmap.copied_from_id).first()
    return render(request, "roadmaps/roadmap_detail.html", context)


def _owner_choices(request: HttpRequest) -> QuerySet[Organization]:
    scope = scope_of(request)
    if scope.is_superuser:
        return Organization.objects.active().exclude(kind=Organization.Kind.SCHOOL).order_by("short_name")
    return Organization.objects.active().filter(scope.q("path", "staff")).order_by("path")


class RoadmapCreateView(FormView):
    template_name = "roadmaps/roadmap_form.html"
    form_class = RoadmapCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("roadmaps.create_roadmap"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "owners": _owner_choices(self.request)}

    def form_valid(self, form: RoadmapCreateForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        try:
            roadmap = services.roadmap_create(actor=self.request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Дорожная карта создана как черновик."))
        return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)


class RoadmapUpdateView(FormView):
    template_name = "roadmaps/roadmap_form.html"
    form_class = RoadmapForm

    def dispatch(self, request, *args, **kwargs):
        self.roadmap = roadmap_get_for_structure(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        # An unsaved copy keeps the ModelForm from mutating the object the service will change.
        return {**super().get_form_kwargs(), "instance": Roadmap.objects.get(pk=self.roadmap.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "roadmap": self.roadmap}

    def form_valid(self, form: RoadmapForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in RoadmapForm.Meta.fields}
        try:
            services.roadmap_update(
                actor=self.request.user, roadmap=self.roadmap, expected_version=form.opened_version(), **data
            )
        except services.ConcurrentEditError as exc:
            return edit_conflict_response(
                self.request,
                self.template_name,
                self.get_context_data(form=form),
                form=form,
                current=exc.current,
                fields=RoadmapForm.Meta.fields,
                noun=_("паспорт дорожной карты"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Изменения сохранены."))
        return redirect("roadmaps:roadmap-detail", pk=self.roadmap.pk)


def roadmap_approve(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk, write=True)
    if roadmap.status != Roadmap.Status.DRAFT:
        messages.error(request, _("Утвердить можно только черновик."))
        return redirect("roadmaps:roadmap-detail", pk=pk)
    form = LegalActForm(request.POST or None)
    context = {"roadmap": roadmap, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_approve(
                actor=request.user, roadmap=roadmap, act=form.save(commit=False),
                confirm_deadline_problems=request.POST.get("confirm_deadline_problems") == "1",
            )  # fmt: skip
        except lifecycle.DeadlineProblems as exc:
            context["deadline_problems"] = exc.activities
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Дорожная карта утверждена."))
            return redirect("roadmaps:roadmap-detail", pk=pk)
    return render(request, "roadmaps/roadmap_approve_form.html", context)


def revision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the draft edition of an approved roadmap: the act, its date and what it changes."""
    roadmap = roadmap_get_for_user(user=request.user, pk=pk, write=True)
    form = RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = services.revision_open(
                actor=request.user, roadmap=roadmap, date=data["date"], summary=data["summary"],
                act=form.legal_act(),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Редакция открыта: вносите изменения, они будут перечислены в ней. "
                    "Затем введите её в действие."
                ),
            )
            return redirect("roadmaps:revision-detail", pk=revision.pk)
    return render(request, "roadmaps/revision_form.html", {"roadmap": roadmap, "form": form})


def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_get_for_user(user=request.user, pk=pk)
    context = {
        "revision": revision,
        "roadmap": revision.roadmap,
        "changes": selectors.revision_changes(revision=revision),
        "can_manage": request.user.has_perm("roadmaps.manage_roadmap", revision.roadmap),
    }
    return render(request, "roadmaps/revision_detail.html", context)


@require_POST
def revision_put_in_force(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_get_for_user(user=request.user, pk=pk, write=True)
    try:
        services.revision_put_in_force(actor=request.user, revision=revision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Редакция введена в действие. Новые изменения — в новой редакции."))
    return redirect("roadmaps:roadmap-detail", pk=revision.roadmap_id)


@require_POST
def roadmap_archive(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk, write=True)
    try:
        services.roadmap_archive(actor=request.user, roadmap=roadmap, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Дорожная карта перенесена в архив: она доступна только для чтения."))
    return redirect("roadmaps:roadmap-detail", pk=pk)


@require_POST
def roadmap_unarchive(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_unarchive(user=request.user, pk=pk)
    try:
        services.roadmap_unarchive(actor=request.user, roadmap=roadmap, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Дорожная карта возвращена из архива."))
    return redirect("roadmaps:roadmap-detail", pk=pk)


def review_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("roadmaps.use_review_list"):
        raise PermissionDenied
    scope = scope_of(request)
    raw = request.GET.get("roadmap", "")
    # Only the roadmap page links here with ?roadmap=: anything but plain digits shows the whole list.
    roadmap_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    activities = paginate(request, selectors.review_activities(scope=scope, roadmap_id=roadmap_id))
    selectors.attach_review_reasons(activities=list(activities.object_list))
    context = {
        "activities": activities,
        "mismatches": selectors.review_checkpoints(scope=scope),
        "querystring": querystring_without_page(request),
    }
    return render(request, "roadmaps/review_list.html", context)
