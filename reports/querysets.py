from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce


class ReportRunQuerySet(models.QuerySet):
    def requested_by_user(self, user) -> ReportRunQuerySet:
        return self.filter(requested_by=user)

    def reusable(self, fingerprint: str) -> ReportRunQuerySet:
        """Finished runs built from the same parameters over the same data, newest first."""
        return (
            self.filter(data_fingerprint=fingerprint, status="done", reused_from__isnull=True)
            .exclude(file="")
            .order_by("-finished_at", "-pk")
        )

    def silent(
        self, *, running_before: datetime.datetime, queued_before: datetime.datetime
    ) -> ReportRunQuerySet:
        """Running runs with no heartbeat since `running_before`, queued ones not sent since `queued_before`
        (the sweeper's candidates)."""
        silent_running = Q(status="running", last_heard__lt=running_before)
        silent_queued = Q(status="queued", last_heard__lt=queued_before)
        return self.alias(last_heard=Coalesce("heartbeat_at", "started_at", "created_at")).filter(
            silent_running | silent_queued
        )
