"""Personal API tokens: a user's credential for other systems, stored only as a hash of its secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.history import HistoricalRecords


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="владелец"
    )
    name = models.CharField("назначение", max_length=100)
    # The first characters of the token, shown in the list so its owner can tell tokens apart.
    prefix = models.CharField("начало токена", max_length=16, unique=True, editable=False)
    secret_hash = models.CharField("SHA-256 секрета", max_length=64, editable=False)
    read_only = models.BooleanField("только чтение", default=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
