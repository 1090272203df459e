"""A personal token's life: created on the portal page, shown once, stored hashed, used, revoked, expired."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/roadmaps/"


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_token_page_shows_the_secret_once_and_stores_only_its_hash(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("api_tokens:token-list"), {"name": "Региональный портал", "read_only": ""})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    token = ApiToken.objects.get(owner=world.staff)
    secret = response.context["issued"].secret
    assert secret.startswith(token.prefix + ".")
    assert secret in response.content.decode()
    assert token.secret_hash == hashlib.sha256(secret.split(".", 1)[1].encode()).hexdigest()
    assert secret.split(".", 1)[1] not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert (token.expires_at.date() - timezone.localdate()).days in (365, 366)
    again = client.get(reverse("api_tokens:token-list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert _bearer(secret).get(ME).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_revoked_token_is_refused_with_a_russian_message(client, world):
    issued = api_token_create(actor=world.staff, name="Интеграция")
    assert _bearer(issued.secret).get(ME).status_code == 200
    client.force_login(world.staff)
    response = client.post(reverse("api_tokens:token-revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    refused = _bearer(issued.secret).get(ME)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert "отозван" in refused.json()["error"]["message"]
    assert ApiToken.history.filter(id=issued.token.pk).count() == 2  # created, revoked


def test_someone_elses_token_cannot_be_revoked(client, world):
    issued = api_token_create(actor=world.staff, name="Интеграция")
    client.force_login(world.analyst)
    assert client.post(reverse("api_tokens:token-revoke", args=[issued.token.pk])).status_code == 404
    assert client.get(reverse("api_tokens:token-list")).context["tokens"].count() == 0
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_expired_token_is_refused(world):
    issued = api_token_create(actor=world.staff, name="Интеграция")
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = _bearer(issued.secret).get(ME)
    assert response.status_code == 401
    assert "Срок действия токена истёк" in response.json()["error"]["message"]


def test_a_wrong_secret_or_garbage_is_refused(world):
    issued = api_token_create(actor=world.staff, name="Интеграция")
    assert _bearer(issued.token.prefix + ".wrong").get(ME).status_code == 401
    assert _bearer("garbage").get(ME).status_code == 401
    assert APIClient().get(ME).status_code == 401


def test_read_only_token_reads_but_gets_403_on_writes(world):
    client = client_for(world.staff, read_only=True)
    assert client.get(ME).status_code == 200
    response = client.post(f"/api/v1/checkpoints/{world.checkpoint.pk}/accept/")
    assert response.status_code == 403
    assert "только для чтения" in response.json()["error"]["message"]


def test_expiry_is_limited_to_two_years_and_must_be_in_the_future(client, world):
    too_far = timezone.localdate() + datetime.timedelta(days=731)
    client.force_login(world.staff)
    response = client.post(
        reverse("api_tokens:token-list"), {"name": "Долгий", "expires_on": too_far.strftime("%d.%m.%Y")}
    )
    assert response.status_code == 400
    assert "не больше чем на 730 дней" in response.content.decode()
    assert response.context["form"]["name"].value() == "Долгий"
    with pytest.raises(Exception, match="позже сегодняшнего"):
        api_token_create(actor=world.staff, name="Вчера", expires_on=timezone.localdate())
    assert not ApiToken.objects.exists()


def test_revoking_twice_changes_nothing(world):
    issued = api_token_create(actor=world.staff, name="Интеграция")
    first = api_token_revoke(actor=world.staff, token=issued.token).revoked_at
    assert api_token_revoke(actor=world.staff, token=issued.token).revoked_at == first


def test_anonymous_is_sent_to_login_from_the_token_page(client, world):
    response = client.get(reverse("api_tokens:token-list"))
    assert response.status_code == 302


def test_rate_limit_per_token_answers_429(settings, world):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/hour", "token_write": "1/hour"},
    }
    client, other = client_for(world.staff), client_for(world.staff)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(ME).json()["error"]["code"] == "throttled"
    assert other.get(ME).status_code == 200  # another token of the same person has its own allowance
