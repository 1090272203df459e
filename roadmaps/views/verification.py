"""Staff verify what coordinators reported: a queue, accept, return with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organizations.models import Municipality, Organization
from roadmaps import list_exports, outcomes, selectors, services
from roadmaps.access import checkpoint_get_for_verify
from roadmaps.forms import CheckpointReturnForm, VerificationFilter
from roadmaps.models import Checkpoint, Roadmap
from roadmaps.services.verification import MAX_BULK, BulkOutcome
from roadmaps.views._common import (
    ignored_filters_message,
    scope_of,
    today,
)
from roadmaps.views.counters import counts_changed

CARD_TEMPLATE = "roadmaps/partials/verification_card.html"


QUEUE_PAGE = 50


def _queue_filter(request: HttpRequest, data) -> tuple[VerificationFilter, QuerySet[Checkpoint]]:
    scope = scope_of(request)
    roadmaps = Roadmap.objects.editable_in(scope).exclude(status=Roadmap.Status.ARCHIVED)
    # The municipalities of the organisations the staff member serves (a region's, not the country's).
    municipalities = Municipality.objects.filter(
        pk__in=Organization.objects.filter(scope.q("path", "staff")).values("municipality_id")
    )
    filterset = VerificationFilter(
        data or None,
        queryset=selectors.verification_list(scope=scope),
        roadmaps=roadmaps,
        municipalities=municipalities,
    )
    return filterset, filterset.qs


def verification_queue(request: HttpRequest) -> HttpResponse:
    """The queue: filters, sort, 50 cards a page, each with its lateness, earlier returns and evidence;
    checkboxes for a bulk decision on the page's rows or on all the filter finds."""
    if not request.user.has_perm("roadmaps.use_verification_queue"):
        raise PermissionDenied
    context = _queue_context(request, request.GET, page=request.GET.get("page"))
    return render(request, "roadmaps/verification_list.html", context)


def _queue_context(
    request: HttpRequest, data: QueryDict, *, page, picked: frozenset[int] = frozenset(), reason: str = ""
) -> dict:
    """What the queue page shows for the filters in `data`; a refused bulk decision shows it again with
    the ticks and the reason the person gave."""
    filterset, queue = _queue_filter(request, data)
    if filterset.is_bound:
        ignored_filters_message(request, filterset.form)
    page_obj = Paginator(queue, QUEUE_PAGE).get_page(page)
    selectors.attach_verification_details(checkpoints=list(page_obj.object_list))
    querystring = data.copy()
    querystring.pop("page", None)
    return {
        "page_obj": page_obj,
        "filter": filterset,
        "querystring": querystring.urlencode(),
        "return_form": CheckpointReturnForm(),
        "awaiting": filterset.form.cleaned_data.get("status") in ("", None, outcomes.REPORTED)
        if filterset.is_bound
        else True,
        "max_bulk": MAX_BULK,
        "picked": picked,
        "picked_count": sum(1 for c in page_obj.object_list if c.pk in picked),
        "bulk_reason": reason,
    }


@require_GET
def verification_export(request: HttpRequest) -> HttpResponse:
    """The queue as .xlsx: every row its filters find, in its order."""
    if not request.user.has_perm("roadmaps.use_verification_queue"):
        raise PermissionDenied
    _filterset, queue = _queue_filter(request, request.GET)
    return list_exports.xlsx_response(
        name="Проверка отчётов",
        caption=f"Проверка отчётов на {today():%d.%m.%Y}",
        sheets=[list_exports.verification_sheet(queue=queue)],
        day=today(),
    )


def _bulk_message(outcome: BulkOutcome, done: str) -> str:
    text = f"{done} {len(outcome.decided)}"
    if outcome.skipped:
        why = []
        if outcome.not_reported:
            why.append(_("уже не на проверке"))
        if outcome.locked:
            why.append(_("отчётный период закрыт или карта в архиве"))
        if outcome.missing:
            why.append(_("недоступны или удалены"))
        text += _(", пропущено %(count)s (%(why)s)") % {"count": outcome.skipped, "why": "; ".join(why)}
    return text + "."


@require_POST
def verification_bulk(request: HttpRequest) -> HttpResponse:
    """Accept, or return with one reason, the ticked cards or every card the filter finds (up to MAX_BULK),
    through the bulk services: one lock for all, each checkpoint's history records the decision."""
    if not request.user.has_perm("roadmaps.use_verification_queue"):
        raise PermissionDenied
    filters = QueryDict(request.POST.get("filters", ""), mutable=True)
    filters.pop("page", None)
    back = reverse("roadmaps:verification-queue") + (f"?{filters.urlencode()}" if filters else "")
    _filterset, queue = _queue_filter(request, filters)
    if request.POST.get("scope") == "all":
        ids = list(queue.values_list("pk", flat=True)[:MAX_BULK])
    else:
        field = "page_ids" if request.POST.get("scope") == "page" else "ids"
        ids = [
            int(pk) for pk in request.POST.getlist(field) if pk.isascii() and pk.isdigit() and len(pk) < 19
        ][:MAX_BULK]
    if not ids:
        messages.warning(request, _("Отметьте отчёты, которые нужно принять или вернуть."))
        return redirect(back)
    within = selectors.verification_list(scope=scope_of(request))
    action = request.POST.get("action")
    try:
        if action == "accept":
            outcome = services.checkpoints_accept(actor=request.user, checkpoint_ids=ids, within=within)
            done = _("Принято")
        elif action == "return":
            outcome = services.checkpoints_return(
                actor=request.user, checkpoint_ids=ids, reason=request.POST.get("reason", ""), within=within
            )
            done = _("Возвращено на доработку")
        else:
            messages.error(request, _("Выберите действие: принять или вернуть."))
            return redirect(back)
    except ValidationError as exc:
        # Refused (a return without a reason…): the same page again, ticks and reason as they were.
        messages.error(request, " ".join(exc.messages))
        context = _queue_context(
            request,
            filters,
            page=request.POST.get("page"),
            picked=frozenset(ids),
            reason=request.POST.get("reason", ""),
        )
        return render(request, "roadmaps/verification_list.html", context, status=400)
    (messages.success if outcome.decided else messages.warning)(request, _bulk_message(outcome, done))
    return redirect(back)


def _card(request: HttpRequest, checkpoint, **extra) -> HttpResponse:
    if not request.htmx:
        return redirect("roadmaps:verification-queue")
    selectors.attach_verification_details(checkpoints=[checkpoint])
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
