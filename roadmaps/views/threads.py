"""The thread of a checkpoint (the school and the department) and of an activity (the department)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from roadmaps import selectors, services
from roadmaps.access import activity_get_for_thread, checkpoint_get_for_thread, comment_get_for_download
from roadmaps.forms import CheckpointReturnForm, CommentForm
from roadmaps.selectors.threads import activity_thread as activity_thread_entries
from roadmaps.selectors.threads import checkpoint_thread as checkpoint_thread_entries
from roadmaps.views._common import add_service_errors, today
from roadmaps.views.evidence import attachment_response


def _comment_posted(request: HttpRequest, form: CommentForm, **target) -> bool:
    """Add the posted comment; False (with the errors on the form) when it is refused."""
    if not form.is_valid():
        return False
    try:
        services.comment_add(
            actor=request.user, text=form.cleaned_data["text"], file=form.cleaned_data["file"], **target
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("Сообщение добавлено."))
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def checkpoint_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to a checkpoint's report, and the messages about it, in time order."""
    checkpoint = selectors.checkpoint_row(
        checkpoint=checkpoint_get_for_thread(user=request.user, pk=pk), scope=None
    )
    may_comment = request.user.has_perm("roadmaps.comment_checkpoint", checkpoint)
    form = CommentForm()
    if request.method == "POST":
        if not may_comment:
            raise PermissionDenied
        form = CommentForm(request.POST, request.FILES)
        if _comment_posted(request, form, checkpoint=checkpoint):
            return redirect(reverse("roadmaps:checkpoint-thread", args=[pk]) + "#thread-end")
    context = {
        "checkpoint": checkpoint,
        "entries": checkpoint_thread_entries(checkpoint=checkpoint),
        "form": form if may_comment else None,
        "may_report": checkpoint.is_open and request.user.has_perm("roadmaps.report_checkpoint", checkpoint),
        "may_verify": checkpoint.status == checkpoint.Status.REPORTED
        and request.user.has_perm("roadmaps.verify_checkpoint", checkpoint),
        "return_form": CheckpointReturnForm(),
        "today": today(),
    }
    return render(request, "roadmaps/checkpoint_thread.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def activity_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's own discussion of an activity (staff only)."""
    activity = activity_get_for_thread(user=request.user, pk=pk)
    form = CommentForm()
    if request.method == "POST":
        form = CommentForm(request.POST, request.FILES)
        if _comment_posted(request, form, activity=activity):
            return redirect(reverse("roadmaps:activity-thread", args=[pk]) + "#thread-end")
    context = {"activity": activity, "entries": activity_thread_entries(activity=activity), "form": form}
    return render(request, "roadmaps/activity_thread.html", context, status=400 if form.errors else 200)


@require_safe
def comment_download(request: HttpRequest, pk: int) -> HttpResponse:
    return attachment_response(comment_get_for_download(user=request.user, pk=pk))
