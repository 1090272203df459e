from django.db import models
from django.db.models import Q

from organizations.models import Organization
from roadmaps.models.roadmap import Roadmap


class OutcomeSnapshotKind(models.TextChoices):
    ROADMAP = "roadmap", "вся дорожная карта"
    ORGANIZATION = "organization", "ответственная организация"
    # Checkpoints of activities nobody is responsible for: the dashboards list them as their own group.
    UNASSIGNED = "unassigned", "ответственные не назначены"


class OutcomeSnapshot(models.Model):
    """Checkpoint outcomes of one approved roadmap, or of one responsible organisation in it, counted as
    of a day by roadmaps/services/snapshots.py.

    Derived data, rewritten whole: the scope dashboard reads these rows instead of counting millions of
    checkpoints per request. `data_version` is the roadmap's token the counts were taken from; a row
    whose token or day differs from the roadmap's is stale and gets recounted.
    """

    Kind = OutcomeSnapshotKind
    # The fields of roadmaps.outcomes.OutcomeCounts, stored as they were counted.
    COUNT_FIELDS = ("on_time", "late", "reported", "overdue", "upcoming", "due", "due_done")

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="outcome_snapshots", verbose_name="дорожная карта"
    )
    kind = models.CharField("что подсчитано", max_length=16, choices=Kind.choices)
    # Null on the roadmap's totals and on its unassigned checkpoints.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    on_time = models.PositiveIntegerField("выполнено в срок", default=0)
    late = models.PositiveIntegerField("выполнено с опозданием", default=0)
    reported = models.PositiveIntegerField("на проверке", default=0)
    overdue = models.PositiveIntegerField("просрочено", default=0)
    upcoming = models.PositiveIntegerField("срок не наступил", default=0)
    due = models.PositiveIntegerField("срок наступил", default=0)
    due_done = models.PositiveIntegerField("срок наступил, выполнено", default=0)
    as_of = models.DateField("по состоянию на")
    data_version = models.CharField("версия данных", max_length=32)
    computed_at = models.DateTimeField("подсчитано")

    class Meta:
        verbose_name = "подсчёт результатов"
        verbose_name_plural = "подсчёты результатов"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeSnapshotKind.values), name="outcomesnapshot_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="organization", organization__isnull=False)
                | (~Q(kind="organization") & Q(organization__isnull=True)),
                name="outcomesnapshot_organization_iff_kind",
            ),
            models.UniqueConstraint(
                fields=["roadmap", "organization"],
                condition=Q(organization__isnull=False),
                name="outcomesnapshot_once_per_organization",
            ),
            models.UniqueConstraint(
                fields=["roadmap", "kind"],
                condition=Q(organization__isnull=True),
                name="outcomesnapshot_once_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["roadmap", "kind"], name="outcomesnapshot_roadmap_idx"),
            models.Index(fields=["organization", "roadmap"], name="outcomesnapshot_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap_id}/{self.organization_id or self.kind} на {self.as_of:%d.%m.%Y}"
