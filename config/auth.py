"""Sign-in: who is asking (the client's address), how often they may (throttling sign-in and password
reset), and which account a typed username names (usernames are lower-cased e-mails, typed in any case)."""

from __future__ import annotations

import hashlib

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
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


def login_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The username django-axes counts failures for: as the portal compares it (trimmed, lower-cased), so
    «Ivanov@School.RU» and «ivanov@school.ru» share one count (AXES_USERNAME_CALLABLE)."""
    if credentials:
        username = credentials.get("username")
    else:
        data = getattr(request, "POST", None) or {}
        username = data.get("username")
    return username.strip().lower() if isinstance(username, str) else username


def _user_signing_in(username: str):
    """The account a typed username names: exactly as typed, or else lower-cased (one indexed query; no
    case-insensitive scan of 100,000 usernames on every sign-in)."""
    username = username.strip()
    candidates = {u.username: u for u in get_user_model()._default_manager.filter(
        username__in={username, username.lower()}
    )}  # fmt: skip
    return candidates.get(username) or candidates.get(username.lower())


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend with two changes. The username is matched as typed or lower-cased. And every
    attempt costs exactly one password hash: an unknown username hashes a throwaway (as Django does), and
    an account switched off that gave its right password is noted on the request (`sign_in_refused_inactive`)
    so the form says «учётная запись отключена» without checking the password a second time — no timing
    difference tells a guesser that an account exists or is switched off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = _user_signing_in(username)
        if user is None:
            get_user_model()().set_password(password)
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None:
            request.sign_in_refused_inactive = True
        return None


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
    only to someone who gave that account's right password, so it reveals nothing to a guesser. The backend
    found that out with the one password check it makes (PortalModelBackend)."""

    deactivated = False

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login" and getattr(self.request, "sign_in_refused_inactive", False):
                self.deactivated = True  # the template says it instead of «wrong password»
                raise ValidationError(
                    gettext(
                        "Учётная запись отключена. Обратитесь к сотруднику органа управления образованием."
                    ),
                    code="inactive",
                ) from exc
            raise
