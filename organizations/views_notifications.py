"""«Уведомления»: the person's inbox, marking read, the unread count in the header, and their settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organizations import notifications
from organizations.models import Notification

PAGE_SIZE = 30


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """Newest first; unread ones stand out. Queries: session, user, count, the page, the unread count."""
    page = Paginator(request.user.notifications.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    return render(request, "organizations/notifications/inbox.html", {"page_obj": page, "unread": unread})


@require_safe
def unread_count(request: HttpRequest) -> HttpResponse:
    """The header's badge, polled by htmx: the page itself spends no query on it."""
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    response = render(request, "organizations/notifications/partials/badge.html", {"unread": unread})
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a notification marks it read and goes to what it is about (only ever inside the portal)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("organizations:notification-inbox")
    return redirect(target)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = notifications.mark_read(user=request.user)
    messages.success(
        request, _("Все уведомления отмечены прочитанными.") if changed else _("Новых уведомлений нет.")
    )
    return redirect("organizations:notification-inbox")


class PreferencesForm(forms.Form):
    """One choice per event: only in the portal, an e-mail at once, or the daily summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event, label in Notification.Event.choices:
            self.fields[event] = forms.ChoiceField(
                label=label, choices=Notification.Delivery.choices, widget=forms.RadioSelect
            )


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notifications.preferences_save(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Настройки уведомлений сохранены."))
            return redirect("organizations:notification-preferences")
    else:
        form = PreferencesForm(initial=notifications.preferences_for(request.user))
    status = 400 if form.errors else 200
    return render(request, "organizations/notifications/preferences.html", {"form": form}, status=status)
