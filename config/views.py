from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.auth import client_ip, password_reset_mail_allowed
from config.celery import app as celery_app
from organizations.scope import user_scope


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" to a load balancer
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return f"error: {exc.__class__.__name__}"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "eager") for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and bookmark tools ask for /favicon.ico whatever the page links: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def home(request: HttpRequest) -> HttpResponse:
    """Landing page by role: coordinators go to their checkpoints, everyone else to the roadmaps."""
    scope = user_scope(request.user)
    if scope.has_role("coordinator") and not scope.has_role("staff", "analyst", "observer"):
        return redirect("roadmaps:my-checkpoints")
    return redirect("roadmaps:roadmap-list")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled (config/auth.py): past a limit the mail is not sent, and the page
    answers exactly as when it is, so nobody learns which addresses are registered or how often they ask."""

    def form_valid(self, form) -> HttpResponse:
        if password_reset_mail_allowed(email=form.cleaned_data["email"], ip=client_ip(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = {"repeat_minutes": settings.PASSWORD_RESET_EMAIL_MINUTES}
