"""Responsible organisations: assign, change and take off, one at a time on the activity page and in bulk
from the roadmap page's bar. Refusals come back as messages above the page the form was on."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roadmaps import selectors, services
from roadmaps.access import responsibility_get_for_change, roadmap_get_for_structure
from roadmaps.forms import ResponsibilityAssignForm, ResponsibilityBulkChangeForm, ResponsibilityForm
from roadmaps.models import Responsibility
from roadmaps.views._common import edit_conflict_response


def _activity_url(responsibility: Responsibility) -> str:
    return reverse("roadmaps:activity-detail", args=[responsibility.activity_id]) + "#responsible"


def _errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def responsibility_update(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the activity page with this organisation's form open; POST: save it and go back there."""
    responsibility = responsibility_get_for_change(user=request.user, pk=pk)
    if request.method == "POST":
        form = ResponsibilityForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return redirect(_activity_url(responsibility))
        data = form.cleaned_data
        try:
            services.responsibility_update(
                actor=request.user,
                responsibility=responsibility,
                role=data["role"],
                by_agreement=data["by_agreement"],
                person=data["person"],
                expected_version=data["version"],
            )
        except services.ConcurrentEditError as exc:
            return edit_conflict_response(
                request, "roadmaps/activity_detail.html", _page(responsibility, typed=data), form=form,
                current=exc.current, fields=("role", "by_agreement", "person"), noun=_("ответственного"),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(org)s: сохранено.") % {"org": responsibility.organization})
        return redirect(_activity_url(responsibility))
    return render(request, "roadmaps/activity_detail.html", _page(responsibility))


def _page(responsibility: Responsibility, typed: dict | None = None) -> dict:
    """The activity page with this organisation's form open (with what was typed, after a conflict)."""
    activity = responsibility.activity
    return {
        "activity": activity,
        "roadmap": activity.roadmap,
        "can_manage": True,
        "can_edit": True,
        "editing": responsibility.pk,
        "typed": typed or {},
        **selectors.activity_get_page(activity=activity),
    }


@require_POST
def responsibility_remove(request: HttpRequest, pk: int) -> HttpResponse:
    responsibility = responsibility_get_for_change(user=request.user, pk=pk)
    try:
        services.responsibility_remove(actor=request.user, responsibility=responsibility)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("«%(org)s» снята с мероприятия.") % {"org": responsibility.organization})
    return redirect(_activity_url(responsibility))


@require_POST
def responsibility_assign(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    form = ResponsibilityAssignForm(
        request.POST, roadmap=roadmap, organizations=selectors.assignable_organizations(roadmap=roadmap)
    )
    if form.is_valid():
        data = form.cleaned_data
        count = services.responsibility_assign(
            actor=request.user,
            activities=data["activities"],
            organization=data["organization"],
            role=data["role"],
            by_agreement=data["by_agreement"],
            person=data["person"],
        )
        messages.success(
            request,
            _("%(org)s назначена ответственной: мероприятий — %(n)d.")
            % {"org": data["organization"], "n": count},
        )
    else:
        messages.error(request, _errors(form))
    return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)


def _bulk_change(user, data: dict) -> str:
    """Apply the bulk bar's «Изменить» or «Снять»; returns the message saying what was done."""
    chosen = {"actor": user, "activities": data["activities"], "organization": data["organization"]}
    if data["action"] == ResponsibilityBulkChangeForm.REMOVE:
        count = services.responsibilities_remove(**chosen)
        done = ngettext("Снято с %(n)d мероприятия: %(org)s.", "Снято с %(n)d мероприятий: %(org)s.", count)
    else:
        role, by_agreement = data["set_role"] or None, data["set_by_agreement"]
        count = services.responsibilities_update(**chosen, role=role, by_agreement=by_agreement)
        done = ngettext(
            "Изменено у %(n)d мероприятия: %(org)s.", "Изменено у %(n)d мероприятий: %(org)s.", count
        )
    if not count:
        done = _("%(org)s: в отмеченных мероприятиях менять нечего.")
    return done % {"n": count, "org": data["organization"]}


@require_POST
def responsibilities_change(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulk bar's «Изменить» and «Снять»: the chosen organisation across the ticked activities."""
    roadmap = roadmap_get_for_structure(user=request.user, pk=pk)
    form = ResponsibilityBulkChangeForm(
        request.POST, roadmap=roadmap, organizations=selectors.assignable_organizations(roadmap=roadmap)
    )
    if form.is_valid():
        try:
            messages.success(request, _bulk_change(request.user, form.cleaned_data))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _errors(form))
    return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
