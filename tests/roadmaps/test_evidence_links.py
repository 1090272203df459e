"""Signed public links to evidence files: who they open for, when they die, and staff revoking them."""

from __future__ import annotations

import datetime
import json
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmaps import services
from roadmaps.evidence_links import (
    SALT,
    evidence_public_link_read,
    evidence_public_token,
    evidence_public_url,
)
from roadmaps.models import Evidence
from tests import factories

PDF = b"%PDF-1.4\n%test evidence\n"
REPORTED_ON = datetime.date(2025, 3, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff_client(world) -> Client:
    client = Client()
    client.force_login(world.staff)
    return client


def _report(world, name: str = "Протокол.pdf") -> Evidence:
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=REPORTED_ON,
        result="Семинар проведён",
        file=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
    )
    return world.checkpoint.evidence.latest("pk")


@pytest.fixture
def accepted(world) -> Evidence:
    evidence = _report(world)
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)
    return evidence


def _path(evidence: Evidence, *, as_of: datetime.date | None = None) -> str:
    """The path of the evidence's current public link; by default one exported today, so still valid."""
    evidence.refresh_from_db()
    as_of = as_of or timezone.localdate()
    url = evidence_public_url(evidence_id=evidence.pk, link_version=evidence.public_link_version, as_of=as_of)
    return urlsplit(url).path


def _get(path: str):
    return Client().get(path)


def _last_message(response) -> str:
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_signed_link_opens_the_accepted_file_without_an_account(accepted):
    response = _get(_path(accepted))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert f"filename*=utf-8''{quote('Протокол.pdf')}" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"".join(response.streaming_content) == PDF
    assert Client().head(_path(accepted)).status_code == 200


def test_public_url_is_absolute_under_the_site_address(settings):
    settings.SITE_URL = "https://portal.example.org/"

    url = evidence_public_url(evidence_id=7, link_version=1, as_of=datetime.date(2025, 4, 1))

    assert url.startswith("https://portal.example.org/public/evidence/")
    assert "//public" not in url


def test_tampered_or_garbage_token_answers_404(accepted):
    path = _path(accepted)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # A later expiry under the original signature.
    later = json.dumps([accepted.pk, 1, "2999-12-31"], separators=(",", ":")).encode()
    forged = signing.b64_encode(later).decode() + ":" + token.rsplit(":", 1)[1]

    # Signed with the right salt but not a link's shape: never issued by the portal, refused all the same.
    signer = signing.Signer(salt=SALT)
    misshapen = [signer.sign_object({"e": accepted.pk}), signer.sign_object([accepted.pk, 1, 5])]
    # Another signed value of the portal (another salt) is not a link either.
    other_salt = signing.Signer().sign_object([accepted.pk, 1, "2999-12-31"])

    for bad in (tampered, forged, "not-a-token", "W10:abc", *misshapen, other_salt):
        assert evidence_public_link_read(bad) is None
        assert _get(reverse("roadmaps:evidence-public", args=[bad])).status_code == 404


def test_expired_link_answers_404(accepted):
    assert _get(_path(accepted, as_of=datetime.date(2000, 6, 1))).status_code == 404


def test_the_same_file_version_and_year_give_the_same_link():
    first = evidence_public_url(evidence_id=5, link_version=1, as_of=datetime.date(2025, 1, 10))
    assert first == evidence_public_url(evidence_id=5, link_version=1, as_of=datetime.date(2025, 12, 1))
    assert first != evidence_public_url(evidence_id=5, link_version=2, as_of=datetime.date(2025, 12, 1))


def test_link_lasts_to_the_end_of_the_reporting_year_plus_the_configured_years(settings):
    settings.EVIDENCE_LINK_YEARS = 2
    token = evidence_public_token(evidence_id=5, link_version=3, as_of=datetime.date(2025, 5, 1))

    assert evidence_public_link_read(token, today=datetime.date(2027, 12, 31)) == (5, 3)
    assert evidence_public_link_read(token, today=datetime.date(2028, 1, 1)) is None


def test_link_to_unknown_evidence_answers_404(accepted):
    token = evidence_public_token(evidence_id=accepted.pk + 1000, link_version=1, as_of=timezone.localdate())

    assert _get(reverse("roadmaps:evidence-public", args=[token])).status_code == 404


def test_revoked_link_answers_404_and_after_reissue_only_the_new_link_opens(staff_client, world, accepted):
    old_path = _path(accepted)
    activity_url = reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id])

    response = staff_client.post(reverse("roadmaps:evidence-link-revoke", args=[accepted.pk]))
    assert response.status_code == 302
    assert response.url == activity_url
    assert "отозвана" in _last_message(response)
    assert _get(old_path).status_code == 404

    response = staff_client.post(reverse("roadmaps:evidence-link-reissue", args=[accepted.pk]))
    assert response.status_code == 302
    assert response.url == activity_url
    assert "новая публичная ссылка" in _last_message(response)
    new_path = _path(accepted)

    assert new_path != old_path
    assert _get(new_path).status_code == 200
    assert _get(old_path).status_code == 404


def test_reissue_without_revoking_kills_a_leaked_link(world, accepted):
    leaked = _path(accepted)

    services.evidence_public_link_reissue(actor=world.staff, evidence=accepted)

    assert _get(leaked).status_code == 404
    assert _get(_path(accepted)).status_code == 200


def test_link_changes_are_recorded_in_history_with_who_made_them(world, accepted):
    services.evidence_public_link_revoke(actor=world.staff, evidence=accepted)
    services.evidence_public_link_reissue(actor=world.staff, evidence=accepted)

    accepted.refresh_from_db()
    assert accepted.public_link_version == 2
    assert accepted.public_link_revoked_at is None
    latest, revoked = accepted.history.order_by("-history_id")[:2]
    assert revoked.public_link_revoked_at is not None
    assert latest.history_user == revoked.history_user == world.staff


def test_link_change_is_refused_for_evidence_given_as_a_web_address(world):
    evidence = factories.EvidenceFactory(checkpoint=world.checkpoint)

    with pytest.raises(ValidationError, match="нет файла"):
        services.evidence_public_link_revoke(actor=world.staff, evidence=evidence)
    with pytest.raises(ValidationError, match="нет файла"):
        services.evidence_public_link_reissue(actor=world.staff, evidence=evidence)


def test_file_of_a_returned_report_answers_404_even_once_a_later_report_is_accepted(world):
    returned = _report(world, "Черновик.pdf")
    services.checkpoint_return(actor=world.staff, checkpoint=world.checkpoint, reason="Нужен протокол")
    assert _get(_path(returned)).status_code == 404

    resubmitted = _report(world, "Протокол.pdf")
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)

    assert _get(_path(returned)).status_code == 404
    assert _get(_path(resubmitted)).status_code == 200


def test_file_of_a_checkpoint_only_reported_answers_404(world):
    evidence = _report(world)

    assert _get(_path(evidence)).status_code == 404


def test_evidence_without_a_file_answers_404(world):
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=REPORTED_ON,
        result="Семинар проведён",
        url="https://example.org/news/seminar",
    )
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)

    assert _get(_path(world.checkpoint.evidence.get())).status_code == 404


@pytest.mark.parametrize(("persona", "expected"), [("coordinator", 403), ("analyst", 403), ("outsider", 404)])
def test_only_staff_of_the_owner_may_revoke_or_reissue_a_link(client, world, accepted, persona, expected):
    client.force_login(getattr(world, persona))
    path = _path(accepted)

    for name in ("roadmaps:evidence-link-revoke", "roadmaps:evidence-link-reissue"):
        assert client.post(reverse(name, args=[accepted.pk])).status_code == expected

    accepted.refresh_from_db()
    assert (accepted.public_link_version, accepted.public_link_revoked_at) == (1, None)
    assert _get(path).status_code == 200


def test_link_buttons_are_shown_to_staff_and_hidden_from_the_coordinator(
    client, staff_client, world, accepted
):
    url = reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id])

    body = staff_client.get(url).content.decode()
    assert reverse("roadmaps:evidence-link-revoke", args=[accepted.pk]) in body
    assert "Отозвать публичную ссылку" in body
    assert "Выдать новую ссылку" in body

    client.force_login(world.coordinator)
    body = client.get(url).content.decode()
    assert "Протокол.pdf" in body
    assert "Отозвать публичную ссылку" not in body
    assert "Выдать новую ссылку" not in body


def test_revoked_link_is_marked_on_the_activity_page(staff_client, world, accepted):
    services.evidence_public_link_revoke(actor=world.staff, evidence=accepted)

    body = staff_client.get(reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id])).content
    body = body.decode()
    assert "публичная ссылка отозвана" in body
    assert "Отозвать публичную ссылку" not in body
    assert "Выдать новую ссылку" in body


@pytest.mark.parametrize("files", [1, 20])
def test_activity_page_with_evidence_runs_a_fixed_number_of_queries(
    staff_client, world, accepted, django_assert_num_queries, files
):
    checkpoint = factories.CheckpointFactory(activity=world.checkpoint.activity, period_label="II кв. 2025")
    for n in range(files):
        services.evidence_add(
            actor=world.coordinator,
            checkpoint=checkpoint,
            file=SimpleUploadedFile(f"акт-{n}.pdf", PDF, content_type="application/pdf"),
        )
    # 1 session; 2 user; 3 memberships (scope); 4 activity with roadmap, owner, project, section (access
    # helper); 5 responsibilities; 6 checkpoints; 7 their evidence; 8 activity history; 9 checkpoint history;
    # 10 responsibility history with organisations; 11 the roadmap's open edition (may staff edit it).
    # The link buttons' permission reads the cached scope and the roadmap already loaded: no query.
    with django_assert_num_queries(11):
        response = staff_client.get(reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id]))
    assert response.content.decode().count("Выдать новую ссылку") == files + 1


# --- A link typed by a coordinator, opened from the portal ------------------------------------------


def test_an_evidence_link_opens_a_page_that_shows_where_it_leads_instead_of_redirecting(client, world):
    url = "https://example.org/news/seminar?id=7&from=portal"
    evidence = factories.EvidenceFactory(checkpoint=world.checkpoint, url=url)
    client.force_login(world.coordinator)

    response = client.get(reverse("roadmaps:evidence-download", args=[evidence.pk]))

    assert response.status_code == 200
    assert not response.has_header("Location")
    assert response["Referrer-Policy"] == "no-referrer"
    body = response.content.decode()
    assert "Вы переходите по внешней ссылке" in body
    assert "<strong>example.org</strong>" in body
    assert "https://example.org/news/seminar?id=7&amp;from=portal" in body
    assert (
        'href="https://example.org/news/seminar?id=7&amp;from=portal" rel="noopener noreferrer nofollow"'
        in body
    )


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("coordinator", lambda world: reverse("roadmaps:my-checkpoints")),
        ("staff", lambda world: reverse("roadmaps:verification-queue")),
        ("staff", lambda world: reverse("roadmaps:activity-detail", args=[world.checkpoint.activity_id])),
    ],
    ids=["my-checkpoints", "verification-queue", "activity-page"],
)
def test_lists_of_evidence_send_a_typed_link_through_the_warning_page(client, world, persona, page):
    url = "https://example.org/report-2025"
    world.checkpoint.status, world.checkpoint.actual_date = "reported", world.checkpoint.planned_due
    world.checkpoint.save()
    evidence = factories.EvidenceFactory(checkpoint=world.checkpoint, url=url)
    client.force_login(getattr(world, persona))
    body = client.get(page(world)).content.decode()
    assert f'href="{reverse("roadmaps:evidence-download", args=[evidence.pk])}"' in body
    assert f'href="{url}"' not in body


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "ftp://files.example.org/act.pdf",
        "file:///etc/passwd",
        "//evil.example/login",
    ],
)
def test_a_link_that_is_not_http_or_https_is_never_offered_to_follow(client, world, url):
    # Such a value cannot be saved through the portal; one already in the table (an old import, the shell)
    # is shown as text only.
    evidence = Evidence.objects.create(checkpoint=world.checkpoint, url=url)
    client.force_login(world.staff)

    response = client.get(reverse("roadmaps:evidence-download", args=[evidence.pk]))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Ссылка не открывается из портала" in body
    assert 'href="' + url not in body
    assert "Перейти по ссылке" not in body


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox(1)"])
def test_reporting_refuses_a_link_that_is_not_a_web_address(world, url):
    with pytest.raises(ValidationError):
        services.checkpoint_report(
            actor=world.coordinator,
            checkpoint=world.checkpoint,
            actual_date=REPORTED_ON,
            result="Семинар проведён",
            url=url,
        )
    assert not world.checkpoint.evidence.exists()


def test_the_external_link_page_keeps_the_scope_checks(client, world):
    evidence = factories.EvidenceFactory(checkpoint=world.checkpoint, url="https://example.org/a")
    client.force_login(world.outsider)
    assert client.get(reverse("roadmaps:evidence-download", args=[evidence.pk])).status_code == 404
