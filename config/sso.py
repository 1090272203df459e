"""The portal's side of single sign-on that exists whether it is on or not: the sign-in and sign-out pages,
and the two OpenID Connect addresses, which answer 404 while OIDC_ENABLED is off.

mozilla-django-oidc is imported only when single sign-on is on (config/oidc.py), so a portal without it
neither loads the library nor answers anything new.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

# Where the logout view finds the ID token the provider's end-session endpoint asks for.
ID_TOKEN_SESSION_KEY = "oidc_id_token"


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


@login_not_required
@require_GET
def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    """«Войти через …»: off to the identity provider, with the state, nonce and PKCE verifier kept in the
    session. A link, not a form: CSP's form-action 'self' would stop a form's redirect to another origin."""
    _require_enabled()
    from config.oidc import AuthenticationRequestView

    return AuthenticationRequestView.as_view()(request)


@login_not_required
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the person back with a code; refusals return to the login page, said why."""
    _require_enabled()
    from config.oidc import AuthenticationCallbackView

    return AuthenticationCallbackView.as_view()(request)


class LoginView(auth_views.LoginView):
    """Django's sign-in page, offering single sign-on beside the password when it is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_provider_name"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else ""
        return context


class LogoutView(auth_views.LogoutView):
    """Signs out of the portal; someone who came by single sign-on is then sent to the provider's end-session
    endpoint when OIDC_OP_LOGOUT_ENDPOINT is set (the CSP's form-action allows that origin then)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                }
            )
            return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
        return response


def axes_ignores(request: HttpRequest, credentials: dict | None = None) -> bool:
    """django-axes' whitelist: the single sign-on callback guesses no password, so it is neither counted nor
    refused — a school's pupils and staff behind one address are not locked out by colleagues not invited."""
    return request is not None and request.path == reverse("oidc_authentication_callback")
