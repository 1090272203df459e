"""Writes to personal API tokens: created (the secret returned once, its hash kept) and revoked."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

TOKEN_PREFIX = "rmp_"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """A token is "<prefix>.<secret>"; anything else is no token of ours."""
    prefix, dot, secret = raw.partition(".")
    if not dot or not prefix.startswith(TOKEN_PREFIX) or not secret:
        return None
    return prefix, secret


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token, shown to its owner once and never again


def api_token_create(
    *, actor, name: str, expires_on: datetime.date | None = None, read_only: bool = False
) -> IssuedToken:
    """A new token for `actor`, valid until the end of `expires_on` (a year from today if not given)."""
    today = timezone.localdate()
    expires_on = expires_on or today + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    if expires_on <= today:
        raise ValidationError({"expires_on": "Срок действия должен закончиться позже сегодняшнего дня."})
    if expires_on > today + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"Токен выдаётся не больше чем на {settings.API_TOKEN_MAX_DAYS} дней."}
        )
    if not name.strip():
        raise ValidationError({"name": "Укажите, для чего токен (например, «Региональный портал»)."})
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    end = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = ApiToken(
        owner=actor, name=name.strip()[:100], prefix=prefix, secret_hash=secret_hash(secret),
        read_only=read_only, expires_at=end,
    )  # fmt: skip
    with transaction.atomic():
        token.full_clean()
        token._history_user = actor
        token.save()
    return IssuedToken(token=token, secret=f"{prefix}.{secret}")


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; revoking again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.owner_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = actor
        token.save(update_fields=["revoked_at"])
    return token
