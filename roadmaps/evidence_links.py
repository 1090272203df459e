"""Signed public links to evidence files, for a federal reviewer who has no account on the portal.

A token carries the evidence id, the link version and an expiry date, signed with the secret key under
its own salt. Staff kill a leaked link by revoking it or issuing a new one (the version changes); the view
also refuses files of returned reports and of checkpoints not accepted, so a valid token alone is not
enough to reach a file.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from roadmaps import outcomes
from roadmaps.models import Evidence

SALT = "roadmaps.evidence-public-link"


class PublicLink(NamedTuple):
    evidence_id: int
    version: int


def link_expiry(as_of: datetime.date) -> datetime.date:
    """The link lives to the end of the reporting year plus EVIDENCE_LINK_YEARS years."""
    return datetime.date(as_of.year + settings.EVIDENCE_LINK_YEARS, 12, 31)


def _signer() -> signing.Signer:
    # No timestamp: the same file, version and year give the same link, so a re-exported form is identical.
    return signing.Signer(salt=SALT)


def evidence_public_token(*, evidence_id: int, link_version: int, as_of: datetime.date) -> str:
    return _signer().sign_object([evidence_id, link_version, link_expiry(as_of).isoformat()])


def evidence_public_url(*, evidence_id: int, link_version: int, as_of: datetime.date) -> str:
    token = evidence_public_token(evidence_id=evidence_id, link_version=link_version, as_of=as_of)
    return settings.SITE_URL.rstrip("/") + reverse("roadmaps:evidence-public", args=[token])


def evidence_public_link_read(token: str, *, today: datetime.date | None = None) -> PublicLink | None:
    """The evidence id and link version a token names; None when it is tampered with, expired or garbage."""
    try:
        evidence_id, version, expires = _signer().unsign_object(token)
        expiry = datetime.date.fromisoformat(expires)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(evidence_id, int) or not isinstance(version, int):
        return None
    if expiry < (today or timezone.localdate()):
        return None
    return PublicLink(evidence_id, version)


def evidence_for_public_link(token: str) -> Evidence | None:
    """The file a token may still open: its current link version, not revoked, and a report accepted.

    Files of a returned report and of a checkpoint not (or no longer) accepted are never served.
    Queries: one.
    """
    link = evidence_public_link_read(token)
    if link is None:
        return None
    return (
        Evidence.objects.filter(
            pk=link.evidence_id,
            public_link_version=link.version,
            public_link_revoked_at__isnull=True,
            returned_at__isnull=True,
            checkpoint__status=outcomes.DONE,
        )
        .exclude(file="")
        .first()
    )
