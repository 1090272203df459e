from __future__ import annotations

import datetime

from django.db import models


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

    def stale(self, started_before: datetime.datetime) -> ReportRunQuerySet:
        """Runs a worker took and never finished: it died or lost its connection."""
        return self.filter(status="running", started_at__lt=started_before)
