from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from roadmaps.models.activity import Activity
from roadmaps.querysets import CheckpointQuerySet


class CheckpointStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    REPORTED = "reported", "на проверке"
    DONE = "done", "выполнено"
    RETURNED = "returned", "возвращено на доработку"
    CANCELLED = "cancelled", "отменено"


class Checkpoint(models.Model):
    """One dated occurrence of an activity that someone must report on."""

    Status = CheckpointStatus

    # Statuses a coordinator has acted on: regeneration from the deadline never deletes or moves these.
    ACTED_ON = (Status.REPORTED, Status.DONE, Status.RETURNED)
    OPEN = (Status.PLANNED, Status.RETURNED)

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="checkpoints")
    sequence = models.PositiveSmallIntegerField("номер по порядку", default=0)
    planned_start = models.DateField("плановое начало", null=True, blank=True)
    planned_due = models.DateField("плановый срок", null=True, blank=True)
    period_label = models.CharField("отчётный период", max_length=100, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PLANNED)
    actual_date = models.DateField("фактическая дата", null=True, blank=True)
    actual_text = models.CharField("фактическая дата (как в отчёте)", max_length=255, blank=True)
    result = models.TextField("результат", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField("отчитались", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField("проверено", null=True, blank=True)
    return_reason = models.TextField("причина возврата", blank=True)
    schedule_mismatch = models.CharField(
        "расхождение со сроком", max_length=500, blank=True, help_text="Срок изменился после отчёта."
    )

    history = HistoricalRecords()
    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = "контрольная точка"
        verbose_name_plural = "контрольные точки"
        ordering = ["activity", "sequence", "planned_due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_due__isnull=True)
                | Q(planned_start__lte=F("planned_due")),
                name="checkpoint_start_before_due",
                violation_error_message="Плановое начало позже планового срока.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CheckpointStatus.values), name="checkpoint_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_date__isnull=False) | ~Q(actual_text=""),
                name="checkpoint_done_has_actual_date",
                violation_error_message="У выполненной контрольной точки должна быть фактическая дата.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "planned_due"]),
            models.Index(fields=["activity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity.number} — {self.period_label or 'без срока'}"

    def is_overdue(self, today) -> bool:
        return self.status in self.OPEN and self.planned_due is not None and self.planned_due < today

    @property
    def done_late(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.actual_date is not None
            and self.planned_due is not None
            and self.actual_date > self.planned_due
        )


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Files live under MEDIA_ROOT, which has no public URL: downloads go through a view that checks scope.
    return f"evidence/{instance.checkpoint_id}/{filename}"


class Evidence(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField("ссылка", max_length=1000, blank=True)
    file = models.FileField("файл", upload_to=evidence_upload_to, blank=True, max_length=500)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["checkpoint", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""),
                name="evidence_has_url_or_file",
                violation_error_message="Укажите ссылку или приложите файл.",
            )
        ]

    def __str__(self) -> str:
        return self.url or self.original_name
