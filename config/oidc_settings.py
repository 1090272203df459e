"""Single sign-on settings: what mozilla-django-oidc needs, from the environment or a discovery document.

Plain Python (no Django import): config/settings.py calls `provider_settings` only when OIDC_RP_CLIENT_ID is
set, and the tests call it to switch single sign-on on against their own provider.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

# Each endpoint setting and the discovery document's name for it.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
BACKEND = "config.oidc.PortalOIDCBackend"
DEFAULT_PROVIDER_NAME = "единую учётную запись"


class OIDCSettingsError(Exception):
    """Single sign-on is asked for but cannot be configured; the message says what to set."""


def discover(url: str, *, timeout: float) -> dict:
    """The provider's discovery document (…/.well-known/openid-configuration), read once at start."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            document = json.load(response)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise OIDCSettingsError(
            f"OIDC_OP_DISCOVERY_URL {url} could not be read within {timeout:g} s ({exc}). Check the address "
            "and that the identity provider answers, or set the OIDC_OP_*_ENDPOINT variables instead."
        ) from exc
    if not isinstance(document, dict):
        raise OIDCSettingsError(f"OIDC_OP_DISCOVERY_URL {url} did not answer a JSON object.")
    return document


def provider_settings(
    *,
    client_id: str,
    client_secret: str = "",
    discovery_url: str = "",
    endpoints: Mapping[str, str] | None = None,
    logout_endpoint: str = "",
    sign_algo: str = "RS256",
    scopes: str = "openid email",
    provider_name: str = "",
    timeout: float = 5.0,
    use_pkce: bool = True,
) -> dict[str, object]:
    """The settings that switch single sign-on on: endpoints given explicitly win over discovered ones."""
    given = {name: value for name, value in (endpoints or {}).items() if value}
    discovered = discover(discovery_url, timeout=timeout) if discovery_url else {}
    values = {name: given.get(name) or discovered.get(key) or "" for name, key in ENDPOINTS.items()}
    if missing := [name for name, value in values.items() if not value]:
        hint = "the discovery document has no such entry" if discovery_url else "or set OIDC_OP_DISCOVERY_URL"
        raise OIDCSettingsError(
            f"OIDC_RP_CLIENT_ID is set, so single sign-on is on; it also needs {', '.join(missing)} ({hint})."
        )
    if sign_algo.startswith("HS") and not client_secret:
        raise OIDCSettingsError(
            f"OIDC_RP_SIGN_ALGO {sign_algo} checks tokens with OIDC_RP_CLIENT_SECRET: set it."
        )
    result: dict[str, object] = {
        "OIDC_ENABLED": True,
        "OIDC_PROVIDER_NAME": provider_name or DEFAULT_PROVIDER_NAME,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": client_secret,
        "OIDC_RP_SIGN_ALGO": sign_algo,
        "OIDC_RP_SCOPES": scopes,
        **values,
        "OIDC_OP_LOGOUT_ENDPOINT": logout_endpoint,
        # The portal never creates an account: people are invited by staff and found by their e-mail.
        "OIDC_CREATE_USER": False,
        "OIDC_USE_PKCE": use_pkce,
        "OIDC_TIMEOUT": timeout,
        # Kept only to log out at the provider (its end-session endpoint wants the ID token back).
        "OIDC_STORE_ID_TOKEN": bool(logout_endpoint),
    }
    return result


def content_security_policy(policy: dict, *, logout_endpoint: str) -> dict:
    """The portal's CSP with single sign-on: signing out (a form posted to the portal) goes on to the
    provider's end-session page when one is configured, and form-action covers the redirects after a form."""
    if not logout_endpoint:
        return policy
    parts = urllib.parse.urlsplit(logout_endpoint)
    directives = dict(policy["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], f"{parts.scheme}://{parts.netloc}"]
    return {**policy, "DIRECTIVES": directives}
