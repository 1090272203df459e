"""Single sign-on is switched on by the environment alone: each case loads config/settings.py in a fresh
interpreter (settings are read once per process), the discovery case against the real test provider."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, sys, django; django.setup(); from django.conf import settings; import config.urls; "
    "names = ['OIDC_ENABLED', 'OIDC_PROVIDER_NAME', 'OIDC_OP_AUTHORIZATION_ENDPOINT', "
    "'OIDC_OP_TOKEN_ENDPOINT', 'OIDC_OP_USER_ENDPOINT', 'OIDC_OP_JWKS_ENDPOINT', "
    "'OIDC_CREATE_USER', 'OIDC_USE_PKCE', 'OIDC_RP_SIGN_ALGO', 'AUTHENTICATION_BACKENDS']; "
    "out = {name: getattr(settings, name, None) for name in names}; "
    "out['form_action'] = settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']; "
    "out['library_loaded'] = 'mozilla_django_oidc' in sys.modules; print(json.dumps(out))"
)


def _load(**environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    env.update(environment, DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def _settings(**environment: str) -> dict:
    result = _load(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(autouse=True)
def _no_local_env_file():
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env file would decide these settings")


def test_without_a_client_id_single_sign_on_is_off_and_its_library_is_not_even_loaded():
    loaded = _settings()
    assert loaded["OIDC_ENABLED"] is False
    assert "config.oidc.PortalOIDCBackend" not in loaded["AUTHENTICATION_BACKENDS"]
    assert loaded["library_loaded"] is False
    assert loaded["form_action"] == ["'self'"]


def test_a_client_id_and_a_discovery_url_switch_it_on_with_the_providers_endpoints(oidc_provider):
    loaded = _settings(
        OIDC_RP_CLIENT_ID="roadmap-portal",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_DISCOVERY_URL=oidc_provider.discovery_url,
        OIDC_PROVIDER_NAME="Keycloak области",
    )
    assert loaded["OIDC_ENABLED"] is True
    assert loaded["OIDC_PROVIDER_NAME"] == "Keycloak области"
    assert loaded["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{oidc_provider.url}/o/authorize/"
    assert loaded["OIDC_OP_TOKEN_ENDPOINT"] == f"{oidc_provider.url}/o/token/"
    assert loaded["OIDC_OP_USER_ENDPOINT"] == f"{oidc_provider.url}/o/userinfo/"
    assert loaded["OIDC_OP_JWKS_ENDPOINT"] == f"{oidc_provider.url}/o/.well-known/jwks.json"
    assert (loaded["OIDC_CREATE_USER"], loaded["OIDC_USE_PKCE"], loaded["OIDC_RP_SIGN_ALGO"]) == (
        False,
        True,
        "RS256",
    )
    assert loaded["AUTHENTICATION_BACKENDS"][0] == "config.auth.LoginThrottleBackend"
    assert loaded["AUTHENTICATION_BACKENDS"][-1] == "config.oidc.PortalOIDCBackend"
    assert loaded["form_action"] == ["'self'"]  # no end-session endpoint asked for


def test_explicit_endpoints_need_no_discovery_and_a_logout_endpoint_opens_form_action_to_it():
    loaded = _settings(
        OIDC_RP_CLIENT_ID="roadmap-portal",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://sso.example.org/auth",
        OIDC_OP_TOKEN_ENDPOINT="https://sso.example.org/token",
        OIDC_OP_USER_ENDPOINT="https://sso.example.org/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://sso.example.org/certs",
        OIDC_OP_LOGOUT_ENDPOINT="https://sso.example.org/realms/70/logout",
    )
    assert loaded["OIDC_ENABLED"] is True
    assert loaded["OIDC_PROVIDER_NAME"] == "единую учётную запись"
    assert loaded["form_action"] == ["'self'", "https://sso.example.org"]


def test_a_client_id_without_endpoints_refuses_to_start_and_says_what_to_set():
    result = _load(OIDC_RP_CLIENT_ID="roadmap-portal", OIDC_OP_TOKEN_ENDPOINT="https://sso.example.org/token")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert (
        "single sign-on is on; it also needs OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_USER_ENDPOINT, "
        "OIDC_OP_JWKS_ENDPOINT (or set OIDC_OP_DISCOVERY_URL)" in result.stderr
    )


def test_a_discovery_url_that_does_not_answer_refuses_to_start_within_the_timeout():
    # A port that accepts and never answers: the read must give up after OIDC_TIMEOUT, not hang.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = _load(
            OIDC_RP_CLIENT_ID="roadmap-portal",
            OIDC_OP_DISCOVERY_URL=f"http://127.0.0.1:{port}/.well-known/openid-configuration",
            OIDC_TIMEOUT="1",
        )
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"OIDC_OP_DISCOVERY_URL http://127.0.0.1:{port}/.well-known/openid-configuration" in result.stderr
    assert "could not be read within 1 s" in result.stderr
    assert elapsed < 30
