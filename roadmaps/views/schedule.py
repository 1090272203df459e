"""Checkpoints staff set by hand on the activity page: add, move, remove (planned ones only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmaps import services
from roadmaps.access import activity_get_for_user, checkpoint_get_for_schedule
from roadmaps.forms import CheckpointByHandForm
from roadmaps.views._common import add_service_errors
from roadmaps.views.structure import activity_page


def _back(activity_id: int) -> HttpResponse:
    return redirect(reverse("roadmaps:activity-detail", args=[activity_id]) + "#checkpoints")


def _refused(request: HttpRequest, activity, form: CheckpointByHandForm, moved=None) -> HttpResponse:
    """The page again with the form as typed and why it was refused."""
    extra = {"moved_form": form, "moved_id": moved.pk} if moved else {"checkpoint_form": form}
    return activity_page(request, activity, status=400, **extra)


@require_POST
def checkpoint_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user(user=request.user, pk=pk, write=True)
    form = CheckpointByHandForm(request.POST)
    if form.is_valid():
        try:
            services.checkpoint_add_by_hand(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Контрольная точка добавлена."))
            return _back(activity.pk)
    return _refused(request, activity, form)


@require_POST
def checkpoint_move(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = checkpoint_get_for_schedule(user=request.user, pk=pk)
    form = CheckpointByHandForm(request.POST, prefix=f"move-{checkpoint.pk}")
    if form.is_valid():
        try:
            services.checkpoint_move_by_hand(actor=request.user, checkpoint=checkpoint, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Контрольная точка перенесена."))
            return _back(checkpoint.activity_id)
    return _refused(request, checkpoint.activity, form, moved=checkpoint)


@require_POST
def checkpoint_remove(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = checkpoint_get_for_schedule(user=request.user, pk=pk)
    try:
        services.checkpoint_remove_by_hand(actor=request.user, checkpoint=checkpoint)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Контрольная точка удалена."))
    return _back(checkpoint.activity_id)


@require_POST
def activity_unscheduled(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an activity as not scheduled (with a reason), or take the mark off (`action=unmark`)."""
    activity = activity_get_for_user(user=request.user, pk=pk, write=True)
    try:
        if request.POST.get("action") == "unmark":
            services.activity_unmark_unscheduled(actor=request.user, activity=activity)
            done = _("Срок снова планируется: задайте контрольные точки или исправьте срок.")
        else:
            reason = request.POST.get("reason", "")
            services.activity_mark_unscheduled(actor=request.user, activity=activity, reason=reason)
            done = _("Отмечено, что срок не планируется.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(activity.pk)
