from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from organizations.scope import Scope


class RoadmapQuerySet(models.QuerySet):
    def approved(self) -> RoadmapQuerySet:
        return self.filter(status="approved")

    def not_draft(self) -> RoadmapQuerySet:
        return self.exclude(status="draft")

    def visible_in(self, scope: Scope) -> RoadmapQuerySet:
        """Owned within the scope (drafts included), or non-draft roadmaps the scope takes part in."""
        if scope.is_superuser:
            return self
        taking_part = scope.q("activities__responsibilities__organization__path") | Q(
            project__coordinator_id__in=scope.organization_ids
        )
        participating_ids = self.filter(taking_part).exclude(status="draft").values("pk")
        return self.filter(scope.q("owner__path") | Q(pk__in=participating_ids))

    def editable_in(self, scope: Scope) -> RoadmapQuerySet:
        return self.filter(scope.q("owner__path", "staff"))


class ActivityQuerySet(models.QuerySet):
    def in_roadmap_order(self) -> ActivityQuerySet:
        return self.order_by("sort_key", "pk")

    def needing_review(self) -> ActivityQuerySet:
        return self.filter(Q(schedule_kind="unparsed") | ~Q(schedule_problems=[]))


class CheckpointQuerySet(models.QuerySet):
    def open(self) -> CheckpointQuerySet:
        return self.filter(status__in=("planned", "returned"))

    def overdue(self, today: datetime.date) -> CheckpointQuerySet:
        return self.open().filter(planned_due__lt=today)

    def due_between(self, first: datetime.date, last: datetime.date) -> CheckpointQuerySet:
        return self.open().filter(planned_due__gte=first, planned_due__lte=last)

    def awaiting_verification(self) -> CheckpointQuerySet:
        return self.filter(status="reported")

    def reportable_in(self, scope: Scope) -> CheckpointQuerySet:
        """Checkpoints of activities that an organisation in the coordinator's scope is responsible for."""
        if scope.is_superuser:
            return self.exclude(activity__roadmap__status="draft")
        from roadmaps.models import Responsibility

        responsible = Responsibility.objects.filter(scope.q("organization__path", "coordinator")).values(
            "activity_id"
        )
        return self.filter(activity_id__in=responsible).exclude(activity__roadmap__status="draft")

    def verifiable_in(self, scope: Scope) -> CheckpointQuerySet:
        return self.filter(scope.q("activity__roadmap__owner__path", "staff"))
