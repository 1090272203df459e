"""Single sign-on by OpenID Connect (mozilla-django-oidc), loaded only when OIDC_ENABLED is on.

Who may come in: the person the provider vouches for by a verified e-mail, matched case-insensitively to an
account staff invited (organizations/people.py), active and with at least one membership. The portal never
creates an account or a membership here and never changes one; a person invited who never set a password
signs in all the same. Every refusal is said on the login page in Russian.
"""

from __future__ import annotations

import logging

import requests
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from organizations.models import Membership

logger = logging.getLogger(__name__)
User = get_user_model()

# Set on the request by the backend when it refuses someone; the callback view shows it.
REFUSAL_ATTRIBUTE = "oidc_refusal"


class Refused(Exception):
    """The provider vouched for someone the portal does not let in; the message says why, in Russian."""


def _verified(claims: dict) -> bool:
    # Some providers send the flag as a string. Absent counts as not verified: the e-mail is the only link
    # between the provider's person and the invited account, so it must be one the provider checked.
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def account_for_claims(claims: dict):
    """The one active account with a membership that the provider's verified e-mail names; `Refused`
    otherwise. Reads only: two queries (the account by e-mail, whether it has a membership)."""
    email = (claims.get("email") or "").strip()
    if not email:
        raise Refused(
            gettext("Поставщик входа не сообщил адрес электронной почты: без него учётную запись не найти.")
        )
    if not _verified(claims):
        raise Refused(
            gettext(
                "Адрес {email} не подтверждён у поставщика входа. Подтвердите его в своей учётной записи "
                "там и войдите снова."
            ).format(email=email)
        )
    matches = list(User._default_manager.filter(email__iexact=email)[:2])
    if not matches:
        raise Refused(
            gettext(
                "Учётной записи с адресом {email} в портале нет. Попросите сотрудника органа управления "
                "образованием пригласить вас по этому адресу."
            ).format(email=email)
        )
    if len(matches) > 1:
        raise Refused(
            gettext("С адресом {email} несколько учётных записей; обратитесь к администратору.").format(
                email=email
            )
        )
    user = matches[0]
    if not user.is_active:
        raise Refused(
            gettext("Учётная запись отключена. Обратитесь к сотруднику органа управления образованием.")
        )
    if not Membership.objects.filter(user=user).exists():
        raise Refused(
            gettext(
                "У учётной записи {email} нет ни одной роли в организациях портала. Обратитесь к сотруднику "
                "органа управления образованием."
            ).format(email=email)
        )
    return user


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, finding (never creating) the invited account by e-mail."""

    def authenticate(self, request: HttpRequest | None, **kwargs):
        # Only the callback signs in this way; a password sign-in whose address happens to carry
        # ?code=…&state=… must not start a token exchange.
        if request is None or "username" in kwargs or "password" in kwargs or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict) -> bool:
        return True  # account_for_claims decides, with a reason for each refusal

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email or not _verified(claims):
            return User._default_manager.none()
        return User._default_manager.filter(email__iexact=email)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return account_for_claims(claims)
        except Refused as refusal:
            logger.info("single sign-on refused for %s: %s", claims.get("email"), refusal)
            setattr(self.request, REFUSAL_ATTRIBUTE, str(refusal))
            return None

    def create_user(self, claims):
        raise SuspiciousOperation("single sign-on never creates accounts")  # OIDC_CREATE_USER is False

    def get_user(self, user_id):
        # As ModelBackend: an account switched off ends the sessions it has, single sign-on's included.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    pass


class AuthenticationCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back. Anything but a sign-in returns to the login page with the reason:
    the portal's refusal, the provider's error, an expired or replayed state, a provider not answering."""

    @property
    def failure_url(self) -> str:
        return resolve_url("login")

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a state not in this session: an old tab, a replay
            logger.warning("single sign-on callback refused: %s", exc)
            return self._fail(gettext("Вход через единую учётную запись не завершён. Начните вход снова."))
        except requests.RequestException as exc:
            logger.warning("identity provider failed during sign-in: %s", exc)
            return self._fail(
                gettext(
                    "Поставщик входа не ответил. Попробуйте ещё раз через несколько минут "
                    "или войдите по паролю."
                )
            )

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        if reason is None:
            reason = gettext("Вход через единую учётную запись не выполнен. Начните вход снова.")
        return self._fail(reason)

    def _fail(self, message: str) -> HttpResponse:
        messages.error(self.request, message)
        return HttpResponseRedirect(self.failure_url)
