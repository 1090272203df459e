"""The API tests' personas carry personal tokens; a client sends one as `Authorization: Bearer`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.reports.conftest import eager_tasks  # noqa: F401

PERSONAS = ("staff", "coordinator", "analyst", "observer", "outsider", "outsider_coordinator")


@pytest.fixture(autouse=True)
def _generous_rates(settings) -> None:
    # The limits themselves are tested on their own; elsewhere they would only make tests order-dependent.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/hour", "token_write": "100000/hour"},
    }


def token_for(user, *, read_only: bool = False) -> str:
    return api_token_create(actor=user, name="Тест", read_only=read_only).secret


def client_for(user, *, read_only: bool = False) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, read_only=read_only)}")
    return client


@pytest.fixture
def api_as(world):
    """api_as("staff") → a client with a fresh token of that persona (None: no token)."""

    def make(role: str | None, *, read_only: bool = False) -> APIClient:
        return client_for(getattr(world, role) if role else None, read_only=read_only)

    return make
