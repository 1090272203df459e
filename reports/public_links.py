"""Signed, expiring download links for scheduled-report recipients who have no portal account.

The token carries the run id, a prefix of the file's SHA-256 (a rebuilt file invalidates old links) and the
last day the link is valid; it is signed with SECRET_KEY under its own salt, so it cannot be forged or
reused as another signed value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRun, ReportRunStatus

SALT = "reports.run-public-download"
SHA_PREFIX_LENGTH = 16


@dataclass(frozen=True)
class PublicLink:
    run_id: int
    sha_prefix: str
    expires_on: datetime.date  # the last day the link opens

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.expires_on


def run_public_expiry(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.REPORT_LINK_DAYS)


def run_public_token(run: ReportRun, *, expires_on: datetime.date | None = None) -> str:
    expires_on = expires_on or run_public_expiry()
    payload = [run.pk, run.sha256[:SHA_PREFIX_LENGTH], expires_on.isoformat()]
    return signing.dumps(payload, salt=SALT, compress=True)


def run_public_url(run: ReportRun, *, expires_on: datetime.date | None = None) -> str:
    path = reverse("reports:run-public-download", args=[run_public_token(run, expires_on=expires_on)])
    return settings.SITE_URL.rstrip("/") + path


def run_public_link_read(token: str) -> PublicLink | None:
    """The link a token stands for, or None when it was tampered with or is not ours."""
    try:
        run_id, sha_prefix, expires_on = signing.loads(token, salt=SALT)
        return PublicLink(
            run_id=int(run_id), sha_prefix=str(sha_prefix), expires_on=datetime.date.fromisoformat(expires_on)
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None


def run_get_for_public_token(token: str, *, today: datetime.date | None = None) -> ReportRun | None:
    """The done run a valid, unexpired token points to while its file is still the one signed for.

    Queries: one (none for a bad or expired token).
    """
    link = run_public_link_read(token)
    if link is None or link.is_expired(today) or not link.sha_prefix:
        return None
    run = ReportRun.objects.filter(pk=link.run_id, status=ReportRunStatus.DONE).first()
    if run is None or run.sha256[:SHA_PREFIX_LENGTH] != link.sha_prefix:
        return None
    return run
