"""Single sign-on end to end, over real HTTP: the portal (pytest-django's live server) against a real OpenID
Connect provider (django-oauth-toolkit in a second process, tests/oidc_provider/), followed by a `requests`
session that posts the provider's login form — the redirects, cookies, token exchange, ID-token signature
(RS256, the provider's JWKS) and userinfo call are all the real ones."""

from __future__ import annotations

import socket
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations.models import Membership
from organizations.people import person_deactivate, person_invite
from tests import factories
from tests.oidc_provider.fixtures import PROVIDER_NAME, provider_sign_in, switch_on
from tests.oidc_provider.people import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db(transaction=True)


def _invite(world, email: str, role: str = Membership.Role.COORDINATOR):
    return person_invite(
        actor=world.staff, organization=world.school, email=email, full_name="Орлова Светлана", role=role
    ).user


def _signed_in(session: requests.Session, live_server) -> bool:
    response = session.get(f"{live_server.url}{reverse('organizations:people-my-memberships')}", timeout=30)
    return response.status_code == 200 and urlsplit(response.url).path != reverse("login")


def _start(live_server) -> str:
    return f"{live_server.url}{reverse('oidc_authentication_init')}"


def test_an_invited_coordinator_who_never_set_a_password_signs_in_by_sso_and_lands_in_my_checkpoints(
    live_server, world, sso_provider
):
    user = _invite(world, "orlova@kedr.example")
    assert not user.has_usable_password()
    history_rows = user.history.count()
    session = requests.Session()

    login = session.get(f"{live_server.url}{reverse('login')}", timeout=30)
    assert f"Войти через {PROVIDER_NAME}" in login.text
    page = provider_sign_in(session, _start(live_server), sso_provider, "orlova")

    assert page.status_code == 200
    assert urlsplit(page.url).path == reverse("roadmaps:my-checkpoints")
    assert "Мои мероприятия" in page.text
    assert _signed_in(session, live_server)
    user.refresh_from_db()
    assert user.last_login is not None
    assert not user.has_usable_password()  # nothing about the account changed but the sign-in time
    # As for a password sign-in: saving last_login writes one history row (organizations/models.py).
    assert user.history.count() == history_rows + 1
    assert Membership.objects.filter(user=user).count() == 1


def test_sso_returns_to_the_page_that_asked_for_a_sign_in(live_server, world, sso_provider):
    _invite(world, "orlova@kedr.example")
    session = requests.Session()
    wanted = reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])
    login = session.get(f"{live_server.url}{wanted}", timeout=30)
    assert urlsplit(login.url).path == reverse("login")
    start = f"{_start(live_server)}?next={wanted}"
    assert f'href="{reverse("oidc_authentication_init")}?next={wanted}"' in login.text

    page = provider_sign_in(session, start, sso_provider, "orlova")

    assert urlsplit(page.url).path == wanted


def test_the_email_is_matched_whatever_its_capitals(live_server, world, sso_provider):
    user = _invite(world, "ivanov@school.ru")  # the provider says Ivanov@School.ru
    session = requests.Session()

    page = provider_sign_in(session, _start(live_server), sso_provider, "ivanov")

    assert urlsplit(page.url).path == reverse("roadmaps:my-checkpoints")
    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.parametrize(
    ("username", "message"),
    [
        (
            "stranger",
            "Учётной записи с адресом stranger@elsewhere.example в портале нет. Попросите сотрудника органа "
            "управления образованием пригласить вас по этому адресу.",
        ),
        ("switched_off", "Учётная запись отключена. Обратитесь к сотруднику органа управления образованием."),
        (
            "unverified",
            "Адрес unverified@kedr.example не подтверждён у поставщика входа. Подтвердите его в своей "
            "учётной записи там и войдите снова.",
        ),
        (
            "nomember",
            "У учётной записи nomember@kedr.example нет ни одной роли в организациях портала. Обратитесь к "
            "сотруднику органа управления образованием.",
        ),
    ],
)
def test_a_refused_sso_sign_in_returns_to_the_login_page_with_the_reason_and_creates_nothing(
    live_server, world, sso_provider, username, message
):
    switched_off = _invite(world, "switched-off@kedr.example")
    person_deactivate(actor=world.staff, person=switched_off)
    _invite(world, "unverified@kedr.example")
    factories.UserFactory(username="nomember@kedr.example", email="nomember@kedr.example")
    counts = (User.objects.count(), Membership.objects.count())
    session = requests.Session()

    page = provider_sign_in(session, _start(live_server), sso_provider, username)

    assert page.status_code == 200
    assert urlsplit(page.url).path == reverse("login")
    assert message in page.text
    assert "Вход в портал" in page.text
    assert not _signed_in(session, live_server)
    assert (User.objects.count(), Membership.objects.count()) == counts


def test_switching_an_account_off_ends_its_sso_session(live_server, world, sso_provider):
    user = _invite(world, "orlova@kedr.example")
    session = requests.Session()
    provider_sign_in(session, _start(live_server), sso_provider, "orlova")
    assert _signed_in(session, live_server)

    person_deactivate(actor=world.staff, person=user)

    assert not _signed_in(session, live_server)


def test_refused_sso_sign_ins_do_not_lock_the_address_out(live_server, world, sso_provider, settings):
    # A school's staff share one address: colleagues not yet invited must not lock the others out.
    settings.AXES_FAILURE_LIMIT = 2
    _invite(world, "orlova@kedr.example")
    for _ in range(3):
        page = provider_sign_in(requests.Session(), _start(live_server), sso_provider, "stranger")
        assert "stranger@elsewhere.example в портале нет" in page.text
    assert not AccessAttempt.objects.exists()

    session = requests.Session()
    page = provider_sign_in(session, _start(live_server), sso_provider, "orlova")
    assert urlsplit(page.url).path == reverse("roadmaps:my-checkpoints")
    staff = requests.Session()
    form = staff.get(f"{live_server.url}{reverse('login')}", timeout=30)
    token = form.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    staff.post(
        form.url,
        data={"csrfmiddlewaretoken": token, "username": "staff", "password": "pass-word-123"},
        timeout=30,
    )
    assert _signed_in(staff, live_server)


def test_an_sso_callback_from_another_session_is_refused_on_the_login_page(live_server, world, sso_provider):
    # The provider's redirect opened in a browser that never started this sign-in (an old tab, a replay).
    _invite(world, "orlova@kedr.example")
    started = requests.Session()
    form = started.get(_start(live_server), timeout=30)
    token = form.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    next_url = form.text.split('name="next" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    answer = started.post(
        form.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": "orlova",
            "password": PASSWORD,
            "next": next_url,
        },
        allow_redirects=False,
        timeout=30,
    )
    authorize = started.get(urljoin(form.url, answer.headers["Location"]), allow_redirects=False, timeout=30)
    callback = authorize.headers["Location"]
    assert callback.startswith(f"{live_server.url}{reverse('oidc_authentication_callback')}?code=")

    other = requests.Session()
    other.get(f"{live_server.url}{reverse('login')}", timeout=30)
    other.get(_start(live_server), timeout=30)  # a sign-in of its own, with another state
    page = other.get(callback, timeout=30)

    assert urlsplit(page.url).path == reverse("login")
    assert "Вход через единую учётную запись не завершён. Начните вход снова." in page.text
    assert not _signed_in(other, live_server)


def test_signing_out_after_sso_also_signs_out_at_the_provider(live_server, world, settings, oidc_provider):
    switch_on(settings, oidc_provider, logout_endpoint=oidc_provider.logout_endpoint)
    _invite(world, "orlova@kedr.example")
    session = requests.Session()
    page = provider_sign_in(session, _start(live_server), oidc_provider, "orlova")
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    out = session.post(
        f"{live_server.url}{reverse('logout')}",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
        timeout=30,
    )

    assert [urlsplit(step.headers["Location"]).path for step in out.history][:1] == ["/o/logout/"]
    assert urlsplit(out.url).path == reverse("login")
    assert not _signed_in(session, live_server)
    # The provider's session is gone too: the next «Войти через …» asks for the provider's password again.
    again = session.get(_start(live_server), timeout=30)
    assert again.url.startswith(f"{oidc_provider.url}/accounts/login/")


def test_a_provider_that_stops_answering_mid_sign_in_is_said_on_the_login_page(
    live_server, world, sso_provider, settings
):
    _invite(world, "orlova@kedr.example")
    session = requests.Session()
    form = session.get(_start(live_server), timeout=30)
    token = form.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    next_url = form.text.split('name="next" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    answer = session.post(
        form.url,
        data={"csrfmiddlewaretoken": token, "username": "orlova", "password": PASSWORD, "next": next_url},
        allow_redirects=False,
        timeout=30,
    )
    callback = session.get(urljoin(form.url, answer.headers["Location"]), allow_redirects=False, timeout=30)
    # The token endpoint goes away between the provider's redirect and the portal's code exchange.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed.getsockname()[1]}/o/token/"
    closed.close()

    page = session.get(callback.headers["Location"], timeout=30)

    assert urlsplit(page.url).path == reverse("login")
    assert "Поставщик входа не ответил. Попробуйте ещё раз через несколько минут" in page.text
    assert not _signed_in(session, live_server)
