"""pytest fixtures: the test identity provider in a second process, and the portal switched over to it.

`oidc_provider` (session) starts `serve.py` with its own SQLite file in a temporary folder on a free port,
registered with the live server's callback address, and waits until its discovery document answers. It
never skips: a provider that does not start fails the tests that need it, with its output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from config.oidc_settings import BACKEND, content_security_policy, provider_settings
from tests.oidc_provider.people import CLIENT_ID, CLIENT_SECRET, PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
PROVIDER_NAME = "Keycloak области"
START_SECONDS = 90


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/o/.well-known/openid-configuration"

    @property
    def logout_endpoint(self) -> str:
        return f"{self.url}/o/logout/"


def _first_line(stream, timeout: float) -> str:
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return line[0] if line else ""


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory) -> Provider:
    folder = tmp_path_factory.mktemp("oidc_provider")
    log_path = folder / "provider.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "OIDC_"))}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.serve",
                "--db",
                str(folder / "provider.sqlite3"),
                "--redirect-uri",
                f"{live_server.url}/accounts/oidc/callback/",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        match = re.match(r"PORT (\d+)", _first_line(process.stdout, START_SECONDS))
        if match is None:
            process.kill()
            pytest.fail(f"the test identity provider did not start:\n{log_path.read_text()}")
        provider = Provider(url=f"http://127.0.0.1:{match.group(1)}")
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if requests.get(provider.discovery_url, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"the test identity provider does not answer:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def switch_on(settings, provider: Provider, **options) -> None:
    """What OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_DISCOVERY_URL and OIDC_PROVIDER_NAME in the
    environment do to config/settings.py, applied to a running test."""
    values = provider_settings(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        discovery_url=provider.discovery_url,
        provider_name=PROVIDER_NAME,
        timeout=10,
        **options,
    )
    for name, value in values.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.CONTENT_SECURITY_POLICY = content_security_policy(
        settings.CONTENT_SECURITY_POLICY, logout_endpoint=values["OIDC_OP_LOGOUT_ENDPOINT"]
    )


@pytest.fixture
def sso_provider(settings, oidc_provider) -> Provider:
    switch_on(settings, oidc_provider)
    return oidc_provider


def provider_sign_in(
    session: requests.Session, start_url: str, provider: Provider, username: str
) -> requests.Response:
    """Follow «Войти через …» from `start_url` to the provider's login form, sign in there as `username`
    and follow the redirects back into the portal; the portal's final page is returned."""
    form = session.get(start_url, timeout=30)
    assert form.url.startswith(f"{provider.url}/accounts/login/"), form.url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    return session.post(
        form.url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": next_url},
        timeout=30,
    )
