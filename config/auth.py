"""Throttling sign-in and password reset: who is asking (the client's address) and how often they may."""

from __future__ import annotations

import hashlib

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies in front of the portal
    appended to X-Forwarded-For (anything further left was written by the client and proves nothing)."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request (the login pages, the admin's).

    `authenticate()` without a request — the test client's `login()`, a management command — has no
    address to count against; axes would refuse it outright, this lets the next backend decide.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The Russian page django-axes shows instead of the login form while a username is locked out."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/lockout.html", context, status=429)


def _key(kind: str, value: str) -> str:
    # Hashed: a raw address could be longer than memcached keys allow, and nothing readable sits in the cache.
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def password_reset_mail_allowed(*, email: str, ip: str) -> bool:
    """Whether this request may send a reset mail: one per address per PASSWORD_RESET_EMAIL_MINUTES, and
    PASSWORD_RESET_IP_LIMIT requests an hour from one client address (every request counts there)."""
    ip_key = _key("ip", ip)
    cache.add(ip_key, 0, timeout=3600)
    try:
        asked = cache.incr(ip_key)
    except ValueError:  # expired between add and incr
        cache.set(ip_key, asked := 1, timeout=3600)
    if asked > settings.PASSWORD_RESET_IP_LIMIT:
        return False
    # add() is atomic in every cache backend: of two requests at once only one gets to send.
    return cache.add(
        _key("email", email.strip().lower()), 1, timeout=settings.PASSWORD_RESET_EMAIL_MINUTES * 60
    )


class PortalAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, saying so when the account was switched off (rather than «wrong password»):
    only to someone who gave that account's right password, so it reveals nothing to a guesser."""

    deactivated = False

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login" and self._is_deactivated_with_right_password():
                self.deactivated = True  # the template says it instead of «wrong password»
                raise ValidationError(
                    gettext(
                        "Учётная запись отключена. Обратитесь к сотруднику органа управления образованием."
                    ),
                    code="inactive",
                ) from exc
            raise

    def _is_deactivated_with_right_password(self) -> bool:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = get_user_model()._default_manager.filter(username=username, is_active=False).first()
        return user is not None and user.check_password(password)
