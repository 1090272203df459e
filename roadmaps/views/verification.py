"""Staff verify what coordinators reported: a queue, accept, return with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmaps import selectors, services
from roadmaps.access import checkpoint_get_for_verify
from roadmaps.forms import CheckpointReturnForm
from roadmaps.views._common import paginate, scope_of
from roadmaps.views.counters import counts_changed

CARD_TEMPLATE = "roadmaps/partials/verification_card.html"


def verification_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("roadmaps.use_verification_queue"):
        raise PermissionDenied
    page = paginate(request, selectors.verification_queue(scope=scope_of(request)), per_page=20)
    selectors.attach_checkpoint_details(checkpoints=list(page.object_list), scope=None)
    return render(
        request, "roadmaps/verification_list.html", {"page_obj": page, "return_form": CheckpointReturnForm()}
    )


def _card(request: HttpRequest, checkpoint, **extra) -> HttpResponse:
    if not request.htmx:
        return redirect("roadmaps:verification-queue")
    selectors.checkpoint_row(checkpoint=checkpoint, scope=None)
    return counts_changed(render(request, CARD_TEMPLATE, {"checkpoint": checkpoint, **extra}))


@require_POST
def checkpoint_accept(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk)
    try:
        checkpoint = services.checkpoint_accept(actor=request.user, checkpoint=checkpoint)
    except ValidationError as exc:
        return _card(request, checkpoint, return_form=CheckpointReturnForm(), error=" ".join(exc.messages))
    return _card(request, checkpoint, outcome=_("Принято"))


def _decide_on_activity_page(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk)
    try:
        service(actor=request.user, checkpoint=checkpoint, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("roadmaps:activity-detail", pk=checkpoint.activity_id)


@require_POST
def checkpoint_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_on_activity_page(request, pk, services.checkpoint_cancel, _("Контрольная точка отменена."))


@require_POST
def checkpoint_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_on_activity_page(
        request, pk, services.checkpoint_restore, _("Контрольная точка восстановлена.")
    )


@require_POST
def checkpoint_return(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk)
    form = CheckpointReturnForm(request.POST)
    if form.is_valid():
        try:
            checkpoint = services.checkpoint_return(
                actor=request.user, checkpoint=checkpoint, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            return _card(request, checkpoint, return_form=form, error=" ".join(exc.messages))
        return _card(request, checkpoint, outcome=_("Возвращено на доработку"))
    return _card(request, checkpoint, return_form=form)


_MISMATCH_ACTIONS = {
    "keep": (services.checkpoint_mismatch_keep, _("Контрольная точка оставлена как есть.")),
    "move": (services.checkpoint_mismatch_move, _("Контрольная точка перенесена на новый срок.")),
    "cancel": (services.checkpoint_mismatch_cancel, _("Контрольная точка отменена.")),
}


@require_POST
def checkpoint_mismatch_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """«Расхождения»: keep the checkpoint as it is, move it to the new deadline, or cancel it (a reason)."""
    checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk)
    action = _MISMATCH_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Выберите, что сделать с расхождением."))
    else:
        service, done = action
        extra = (
            {"reason": request.POST.get("reason", "")}
            if service is services.checkpoint_mismatch_cancel
            else {}
        )
        try:
            service(actor=request.user, checkpoint=checkpoint, **extra)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    if request.POST.get("back") == "activity":
        return redirect(reverse("roadmaps:activity-detail", args=[checkpoint.activity_id]) + "#checkpoints")
    return redirect(reverse("roadmaps:review-list") + "#mismatches")
