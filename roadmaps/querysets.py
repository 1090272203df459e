from __future__ import annotations

import datetime

from django.apps import apps
from django.db import models
from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.scope import Scope
from roadmaps import outcomes
from roadmaps.deadlines import KINDS_NEEDING_REVIEW


def as_of_cutoff(as_of: datetime.date) -> datetime.datetime:
    """The first moment after the day `as_of` ends, in the portal's time zone."""
    following = as_of + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


class RoadmapQuerySet(models.QuerySet):
    def approved(self) -> RoadmapQuerySet:
        return self.filter(status="approved")

    def not_draft(self) -> RoadmapQuerySet:
        return self.exclude(status="draft")

    def visible_in(self, scope: Scope) -> RoadmapQuerySet:
        """Owned within the scope (drafts included), or non-draft roadmaps the scope takes part in."""
        if scope.is_superuser:
            return self
        # Participation is data (roadmaps/participation.py): one indexed lookup by organisation, not a
        # walk over every activity and responsibility of every roadmap.
        # Organisations in scope are found once by path and then used as ids: matching the owner's path
        # instead would join every roadmap to its owner before the filter could use an index.
        organizations = apps.get_model("organizations", "Organization").objects
        in_scope = organizations.filter(scope.q("path")).values("pk")
        participants = apps.get_model("roadmaps", "RoadmapParticipant").objects
        taking_part = participants.filter(organization_id__in=in_scope).values("roadmap_id")
        in_force = ~Q(status="draft") & (
            Q(pk__in=taking_part) | Q(project__coordinator_id__in=scope.organization_ids)
        )
        return self.filter(Q(owner_id__in=in_scope) | in_force)

    def editable_in(self, scope: Scope) -> RoadmapQuerySet:
        return self.filter(scope.q("owner__path", "staff"))


class ActivityQuerySet(models.QuerySet):
    def in_roadmap_order(self) -> ActivityQuerySet:
        return self.order_by("sort_key", "pk")

    def with_has_checkpoints(self) -> ActivityQuerySet:
        checkpoints = apps.get_model("roadmaps", "Checkpoint").objects.filter(activity_id=OuterRef("pk"))
        return self.annotate(has_checkpoints=Exists(checkpoints))

    def needing_review(self, *, as_approved: bool = False) -> ActivityQuerySet:
        """«Требует проверки»: a deadline with a problem, or no checkpoint where one is needed — every
        activity of an approved roadmap (or of one about to be, `as_approved`), and in a draft those whose
        wording gives no date (by event, unparsed) — unless staff marked it as not scheduled. Annotates
        `has_checkpoints`; the Python twin, for rows already read, is Activity.review_reasons."""
        needed = (
            Q() if as_approved else Q(roadmap__status="approved") | Q(schedule_kind__in=KINDS_NEEDING_REVIEW)
        )
        unplanned = Q(has_checkpoints=False, unscheduled_reason="") & needed
        return self.with_has_checkpoints().filter(~Q(schedule_problems=[]) | unplanned)


class CheckpointQuerySet(models.QuerySet):
    def open(self) -> CheckpointQuerySet:
        return self.filter(status__in=outcomes.OPEN)

    def with_status_as_of(self, as_of: datetime.date) -> CheckpointQuerySet:
        """Annotate `status_as_of`: the status the checkpoint had at the end of the day `as_of`.

        Most rows answer from their own columns: never reported, or accepted before the cutoff (an
        acceptance is final). The rest read their latest transition before the cutoff.
        """
        cutoff = as_of_cutoff(as_of)
        transitions = apps.get_model("roadmaps", "CheckpointTransition").objects
        latest = (
            transitions.filter(checkpoint_id=OuterRef("pk"), at__lt=cutoff)
            .order_by("-at", "-pk")
            .values("status")[:1]
        )
        return self.annotate(
            status_as_of=Case(
                When(status=outcomes.PLANNED, reported_at__isnull=True, then=Value(outcomes.PLANNED)),
                When(status=outcomes.DONE, verified_at__lt=cutoff, then=Value(outcomes.DONE)),
                default=Coalesce(Subquery(latest), Value(outcomes.PLANNED)),
                output_field=CharField(),
            )
        )

    def with_outcome_as_of(self, as_of: datetime.date) -> CheckpointQuerySet:
        """Annotate `status_as_of`, `outcome` (outcomes.outcome_of in SQL) and `is_due`."""
        done = Q(status_as_of=outcomes.DONE) & (Q(actual_date__isnull=True) | Q(actual_date__lte=as_of))
        late = Q(actual_date__isnull=False, planned_due__isnull=False, actual_date__gt=F("planned_due"))
        return self.with_status_as_of(as_of).annotate(
            outcome=Case(
                When(status_as_of=outcomes.CANCELLED, then=Value(None)),
                When(done & late, then=Value(outcomes.LATE)),
                When(done, then=Value(outcomes.ON_TIME)),
                When(status_as_of=outcomes.REPORTED, then=Value(outcomes.ON_REVIEW)),
                When(planned_due__lt=as_of, then=Value(outcomes.OVERDUE)),
                default=Value(outcomes.UPCOMING),
                output_field=CharField(null=True),
            ),
            is_due=Case(
                When(planned_due__lte=as_of, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def overdue(self, today: datetime.date) -> CheckpointQuerySet:
        return self.open().filter(planned_due__lt=today)

    def due_between(self, first: datetime.date, last: datetime.date) -> CheckpointQuerySet:
        return self.open().filter(planned_due__gte=first, planned_due__lte=last)

    def awaiting_verification(self) -> CheckpointQuerySet:
        return self.filter(status=outcomes.REPORTED)

    def reportable_in(self, scope: Scope) -> CheckpointQuerySet:
        """Checkpoints of activities that an organisation in the coordinator's scope is responsible for."""
        if scope.is_superuser:
            return self.filter(activity__roadmap__status="approved")
        from roadmaps.models import Responsibility

        responsible = Responsibility.objects.filter(scope.q("organization__path", "coordinator")).values(
            "activity_id"
        )
        # Only approved roadmaps are reported on: drafts are not in force yet, archived ones are read-only.
        return self.filter(activity_id__in=responsible, activity__roadmap__status="approved")

    def verifiable_in(self, scope: Scope) -> CheckpointQuerySet:
        """Checkpoints staff of the owner decide on; an archived roadmap's are read-only."""
        return self.filter(scope.q("activity__roadmap__owner__path", "staff")).exclude(
            activity__roadmap__status="archived"
        )
