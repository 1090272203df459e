"""Sign-in, sign-out, password change and reset speak Russian."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse


def test_login_page_is_public_and_in_russian(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Вход в портал" in body


def test_logout_returns_to_the_login_page(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")


def test_password_change_form_is_in_russian(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("password_change")).content.decode()
    assert "Смена пароля" in body


def test_password_reset_sends_a_russian_email(client, world):
    response = client.post(reverse("password_reset"), {"email": world.staff.email})
    assert response.url == reverse("password_reset_done")
    assert "Проверьте почту" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Восстановление пароля на портале дорожных карт"
    assert "/accounts/reset/" in mail.outbox[0].body
