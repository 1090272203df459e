import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "eager")


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_answers_503_when_the_broker_is_unreachable(client, monkeypatch):
    from config.celery import app

    # Celery copies broker_url into broker_write_url when it is configured; point both at a closed port.
    # broker_write_url first: read after broker_url is patched it would be the closed port already, and
    # monkeypatch would "restore" that for every later test that sends a task.
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_login_page_is_russian(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "Вход" in response.content.decode()


def test_pages_require_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
