"""Scheduled reports reach portal users by the login link and everyone else by attachment or signed link."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from reports.builders import ReportScope
from reports.models import ReportRun, ReportSchedule
from reports.public_links import run_public_token, run_public_url
from reports.services import report_run_notify, report_run_request

AS_OF = datetime.date(2025, 4, 1)
REVIEWER = "reviewer@fioko.example"
SECOND_REVIEWER = "Expert@Minpros.example"
PUBLIC_LINK = re.compile(r"https://portal\.example\.org/reports/public/runs/(?P<token>[^/\s]+)/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def deliver(world, filled, django_capture_on_commit_callbacks):
    """Build a scheduled run for these recipients; its notification goes out after commit, as in a worker."""

    def deliver(*recipients: str) -> ReportRun:
        schedule = ReportSchedule.objects.create(
            roadmap=filled.roadmap,
            kind="fioko_form",
            format="xlsx",
            cadence="monthly",
            recipients="\n".join(recipients),
            created_by=world.staff,
        )
        with django_capture_on_commit_callbacks(execute=True):
            run = report_run_request(
                actor=None,
                kind="fioko_form",
                fmt="xlsx",
                scope=ReportScope(roadmap_id=filled.roadmap.pk),
                as_of=AS_OF,
                schedule=schedule,
            )
        run.refresh_from_db()
        assert run.status == "done" and run.notified_at is not None
        return run

    return deliver


def _mail_to(address: str) -> mail.EmailMessage:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def _public_token(message: mail.EmailMessage) -> str:
    match = PUBLIC_LINK.search(message.body)
    assert match, message.body
    return match["token"]


def _public_get(client, token: str):
    return client.get(reverse("reports:run-public-download", args=[token]))


def test_recipient_without_an_account_receives_the_file_attached(deliver):
    run = deliver(REVIEWER)

    message = _mail_to(REVIEWER)
    ((name, content, mimetype),) = message.attachments
    assert content == Path(run.file.path).read_bytes()
    assert (name, mimetype) == (run.download_name, XLSX)
    assert "Отчёт во вложении" in message.body
    assert "/reports/runs/" not in message.body and not PUBLIC_LINK.search(message.body)


def test_file_above_the_attachment_limit_is_sent_as_a_link_that_opens_without_login(
    deliver, settings, client
):
    settings.REPORT_ATTACHMENT_MAX_BYTES = 1
    run = deliver(REVIEWER)

    message = _mail_to(REVIEWER)
    assert not message.attachments
    expires_on = timezone.localdate() + datetime.timedelta(days=settings.REPORT_LINK_DAYS)
    assert f"Ссылка действительна до {expires_on:%d.%m.%Y}" in message.body
    assert "/reports/runs/" not in message.body
    response = _public_get(client, _public_token(message))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"".join(response.streaming_content) == Path(run.file.path).read_bytes()


def test_link_sent_with_a_negative_validity_has_already_expired(deliver, settings, client):
    settings.REPORT_ATTACHMENT_MAX_BYTES = 1
    settings.REPORT_LINK_DAYS = -1
    deliver(REVIEWER)

    assert _public_get(client, _public_token(_mail_to(REVIEWER))).status_code == 404


def test_link_opens_on_its_last_day_and_not_the_day_after(deliver, client):
    run = deliver(REVIEWER)
    today = timezone.localdate()

    assert _public_get(client, run_public_token(run, expires_on=today)).status_code == 200
    yesterday = today - datetime.timedelta(days=1)
    assert _public_get(client, run_public_token(run, expires_on=yesterday)).status_code == 404


def test_tampered_or_foreign_token_is_not_found(deliver, client):
    run = deliver(REVIEWER)
    token = run_public_token(run)
    payload, _, signature = token.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    assert _public_get(client, f"{payload}:{flipped}").status_code == 404
    assert _public_get(client, "not-a-token").status_code == 404
    forged = signing.dumps([run.pk, run.sha256[:16], "2999-12-31"], salt="some.other.purpose", compress=True)
    assert _public_get(client, forged).status_code == 404


def test_link_stops_working_when_the_file_is_rebuilt_removed_or_the_run_is_gone(deliver, client):
    run = deliver(REVIEWER)
    token = run_public_token(run)
    assert _public_get(client, token).status_code == 200

    ReportRun.objects.filter(pk=run.pk).update(sha256="0" * 64)
    assert _public_get(client, token).status_code == 404
    ReportRun.objects.filter(pk=run.pk).update(sha256=run.sha256, status="failed")
    assert _public_get(client, token).status_code == 404
    ReportRun.objects.filter(pk=run.pk).update(status="done")
    Path(run.file.path).unlink()
    assert _public_get(client, token).status_code == 404
    ReportRun.objects.filter(pk=run.pk).delete()
    assert _public_get(client, token).status_code == 404


# Expected queries: 1. the run by the token's id (anonymous: no session, no user)
def test_public_download_query_count_is_fixed(deliver, client, django_assert_num_queries):
    run = deliver(REVIEWER)
    url = run_public_url(run).removeprefix("https://portal.example.org")
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200


def test_portal_user_gets_the_login_link_and_no_attachment_whatever_the_case_of_the_address(deliver, world):
    run = deliver(world.staff.email.upper())

    (message,) = mail.outbox
    assert message.to == [world.staff.email.upper()]
    assert not message.attachments
    assert f"https://portal.example.org/reports/runs/{run.pk}/download/" in message.body
    assert "нужен вход на портал" in message.body and not PUBLIC_LINK.search(message.body)


def test_inactive_users_address_is_treated_as_an_outsider(deliver, world):
    world.analyst.is_active = False
    world.analyst.save()
    deliver(world.analyst.email)

    message = _mail_to(world.analyst.email)
    assert message.attachments and "/reports/runs/" not in message.body


def test_no_mail_shows_another_recipients_address(deliver, world):
    recipients = [REVIEWER, SECOND_REVIEWER, world.staff.email, world.analyst.email]
    deliver(*recipients, REVIEWER.upper())  # a repeated address is mailed once

    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    for message in mail.outbox:
        assert message.cc == [] and message.bcc == []
        raw = message.message().as_string().lower() + message.body.lower()
        for other in recipients:
            if other != message.to[0]:
                assert other.lower() not in raw


def test_run_is_notified_once(deliver):
    run = deliver(REVIEWER)
    assert len(mail.outbox) == 1

    assert report_run_notify(run_id=run.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_for_a_run_that_is_not_done(world, filled):
    schedule = ReportSchedule.objects.create(
        roadmap=filled.roadmap,
        kind="fioko_form",
        format="xlsx",
        cadence="monthly",
        recipients=REVIEWER,
        created_by=world.staff,
    )
    run = report_run_request(
        actor=None,
        kind="fioko_form",
        fmt="xlsx",
        scope=ReportScope(roadmap_id=filled.roadmap.pk),
        as_of=AS_OF,
        schedule=schedule,
        enqueue=False,
    )
    assert report_run_notify(run_id=run.pk) is False
    ReportRun.objects.filter(pk=run.pk).update(status="failed")
    assert report_run_notify(run_id=run.pk) is False
    assert not mail.outbox
