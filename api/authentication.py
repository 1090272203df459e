"""`Authorization: Bearer <token>`: a personal token, refused when unknown, expired or revoked."""

from __future__ import annotations

import datetime
import hmac

from django.utils import timezone
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.services import secret_hash, split_token

INVALID = "Токен недействителен: проверьте его или создайте новый на странице «API-токены»."
EXPIRED = "Срок действия токена истёк: создайте новый на странице «API-токены»."
REVOKED = "Токен отозван его владельцем: создайте новый на странице «API-токены»."
INACTIVE = "Учётная запись владельца токена отключена."
# Writing last use on every request would make each read a write; once a minute is enough to tell.
LAST_USED_STEP = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        parts = split_token(header[1])
        if parts is None:
            raise exceptions.AuthenticationFailed(INVALID)
        prefix, secret = parts
        token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, secret_hash(secret)):
            raise exceptions.AuthenticationFailed(INVALID)
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(REVOKED)
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.owner, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
