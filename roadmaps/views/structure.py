"""Sections and activities: create, edit (with the optimistic lock), reorder, delete."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roadmaps import selectors, services
from roadmaps.access import activity_get_for_user, roadmap_get_for_structure, section_get_for_user
from roadmaps.forms import ActivityForm, CheckpointByHandForm, SectionForm
from roadmaps.services import lifecycle
from roadmaps.services.activities import ACTIVITY_FIELDS
from roadmaps.services.schedules import ScheduleChangeUnconfirmed, mismatch_target
from roadmaps.views._common import add_service_errors, edit_conflict_response


def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    form = SectionForm(request.POST or None, roadmap=roadmap)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.section_create(
                actor=request.user,
                roadmap=roadmap,
                title=data["title"],
                number=data["number"],
                parent=data["parent"],
                number_if_blank=True,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Раздел добавлен."))
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return render(request, "roadmaps/section_form.html", {"roadmap": roadmap, "form": form})


def section_update(request: HttpRequest, pk: int) -> HttpResponse:
    section = section_get_for_user(user=request.user, pk=pk, write=True)
    roadmap = section.roadmap
    form = SectionForm(
        request.POST or None, roadmap=roadmap, instance=type(section).objects.get(pk=section.pk)
    )
    context = {"roadmap": roadmap, "form": form, "section": section}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SectionForm.Meta.fields}
        try:
            services.section_update(
                actor=request.user, section=section, expected_version=form.opened_version(), **data
            )
        except services.ConcurrentEditError as exc:
            return edit_conflict_response(
                request,
                "roadmaps/section_form.html",
                context,
                form=form,
                current=exc.current,
                fields=SectionForm.Meta.fields,
                noun=_("раздел"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Раздел сохранён."))
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return render(request, "roadmaps/section_form.html", context)


@require_POST
def sections_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Either a full order (`order` ids) or one section moved one step (`section` + `direction`)."""
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    ids = list(roadmap.sections.order_by("position", "pk").values_list("pk", flat=True))
    try:
        if request.POST.getlist("order"):
            ids = [int(value) for value in request.POST.getlist("order")]
        else:
            moved = int(request.POST.get("section", ""))
            step = -1 if request.POST.get("direction") == "up" else 1
            index = ids.index(moved)
            other = index + step
            if 0 <= other < len(ids):
                ids[index], ids[other] = ids[other], ids[index]
        services.sections_reorder(actor=request.user, roadmap=roadmap, section_ids=ids)
    except (ValueError, ValidationError):
        messages.error(request, _("Не удалось изменить порядок разделов."))
    return redirect(reverse("roadmaps:roadmap-detail", args=[roadmap.pk]) + "#sections")


def roadmap_renumber(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: which numbers «Перенумеровать» would change (old → new); POST: apply exactly that preview."""
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            done = services.roadmap_renumber(
                actor=request.user, roadmap=roadmap, fingerprint=request.POST.get("fingerprint", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("roadmaps:roadmap-renumber", pk=roadmap.pk)
        count = len(done.sections) + len(done.activities)
        messages.success(
            request,
            ngettext("Изменён %(n)s номер.", "Изменено %(n)s номеров.", count) % {"n": count},
        )
        return redirect(reverse("roadmaps:roadmap-detail", args=[roadmap.pk]) + "#sections")
    plan = services.roadmap_renumbering(roadmap=roadmap)
    return render(request, "roadmaps/roadmap_renumber.html", {"roadmap": roadmap, "plan": plan})


def _saved(request: HttpRequest, activity, done: str) -> None:
    """A green «сохранено» only for a deadline with nothing to fix; otherwise a warning naming the problem."""
    if warning := activity.schedule_warning:
        messages.warning(
            request, _("%(done)s Проверьте срок: %(warning)s") % {"done": done, "warning": warning}
        )
    else:
        messages.success(request, done)


def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    section_id = request.GET.get("section", "")
    plain = re.fullmatch(r"[0-9]{1,9}", section_id)  # «²», «٣» and huge numbers name no section
    section = roadmap.sections.filter(pk=int(section_id)).first() if plain else None
    suggested = "" if request.POST else services.activity_next_number(roadmap=roadmap, section=section)
    form = ActivityForm(
        request.POST or None, roadmap=roadmap, initial={"section": section}, suggested_number=suggested
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
        try:
            activity = services.activity_create(actor=request.user, roadmap=roadmap, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _saved(request, activity, _("Мероприятие добавлено."))
            return redirect("roadmaps:activity-detail", pk=activity.pk)
    return render(request, "roadmaps/activity_form.html", {"roadmap": roadmap, "form": form})


def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user(user=request.user, pk=pk, write=True)
    roadmap = activity.roadmap
    form = ActivityForm(request.POST or None, roadmap=roadmap, instance=activity)
    if fix := request.GET.get("fix"):
        approved = roadmap.status == roadmap.Status.APPROVED
        has_checkpoints = activity.checkpoints.exists()
        form.show_problem(fix, activity.review_reasons(has_checkpoints=has_checkpoints, approved=approved))
    context = {"roadmap": roadmap, "activity": activity, "form": form}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
        try:
            saved = services.activity_update(
                actor=request.user, activity=activity, expected_version=form.opened_version(),
                regenerate_schedule=request.POST.get("regenerate_schedule") == "1",
                schedule_confirmation=request.POST.get("confirm_schedule", ""), **data,
            )  # fmt: skip
        except ScheduleChangeUnconfirmed as exc:
            # Nothing saved: what the new deadline does, to confirm with a second POST; the form keeps
            # what was typed and the version it was opened with.
            question = {"schedule_change": exc.change, "by_hand": exc.by_hand}
            return render(request, "roadmaps/activity_form.html", {**context, **question})
        except services.ConcurrentEditError as exc:
            return edit_conflict_response(
                request,
                "roadmaps/activity_form.html",
                context,
                form=form,
                current=exc.current,
                fields=ACTIVITY_FIELDS,
                noun=_("мероприятие"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _saved(request, saved, _("Мероприятие сохранено."))
            return redirect("roadmaps:activity-detail", pk=activity.pk)
    return render(request, "roadmaps/activity_form.html", context)


def _activity_permissions(request: HttpRequest, roadmap) -> dict[str, bool]:
    """What the activity page offers: links and file controls (manage), structure edits (a draft, or an
    approved roadmap with its edition open) and checkpoint decisions (not archived)."""
    can_manage = request.user.has_perm("roadmaps.manage_roadmap", roadmap)
    archived = roadmap.status == roadmap.Status.ARCHIVED
    editable = roadmap.status == roadmap.Status.DRAFT or (
        not archived and lifecycle.draft_edition(roadmap) is not None
    )
    return {
        "can_manage": can_manage,
        "can_edit": can_manage and editable,
        "can_verify": can_manage and not archived,
    }


def activity_page(request: HttpRequest, activity, *, status: int = 200, **extra) -> HttpResponse:
    """The activity page; `extra` carries a refused by-hand checkpoint form back with what was typed."""
    page = selectors.activity_get_page(activity=activity)
    for checkpoint in page["checkpoints"]:
        if checkpoint.schedule_mismatch:  # «перенести на новый срок» offered here as on the review list
            checkpoint.move_target = mismatch_target(checkpoint, page["checkpoints"])
    context = {
        "activity": activity,
        "roadmap": activity.roadmap,
        "checkpoint_form": CheckpointByHandForm(),
        **_activity_permissions(request, activity.roadmap),
        **page,
        **extra,
    }
    return render(request, "roadmaps/activity_detail.html", context, status=status)


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return activity_page(request, activity_get_for_user(user=request.user, pk=pk))


@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user(user=request.user, pk=pk, write=True)
    roadmap_pk = activity.roadmap_id
    try:
        services.activity_delete(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("roadmaps:activity-detail", pk=pk)
    messages.success(request, _("Мероприятие удалено."))
    return redirect("roadmaps:roadmap-detail", pk=roadmap_pk)
