from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from config.history import HistoricalRecords
from roadmaps import outcomes, search_text
from roadmaps.models.activity import Activity
from roadmaps.querysets import CheckpointQuerySet


class CheckpointStatus(models.TextChoices):
    # Values and labels come from the one outcome vocabulary (roadmaps/outcomes.py).
    PLANNED = outcomes.PLANNED, outcomes.STATUS_LABELS[outcomes.PLANNED]
    REPORTED = outcomes.REPORTED, outcomes.STATUS_LABELS[outcomes.REPORTED]
    DONE = outcomes.DONE, outcomes.STATUS_LABELS[outcomes.DONE]
    RETURNED = outcomes.RETURNED, outcomes.STATUS_LABELS[outcomes.RETURNED]
    CANCELLED = outcomes.CANCELLED, outcomes.STATUS_LABELS[outcomes.CANCELLED]


class Checkpoint(models.Model):
    """One dated occurrence of an activity that someone must report on."""

    Status = CheckpointStatus

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="checkpoints", verbose_name="мероприятие"
    )
    sequence = models.PositiveSmallIntegerField("номер по порядку", default=0)
    planned_start = models.DateField("плановое начало", null=True, blank=True)
    planned_due = models.DateField("плановый срок", null=True, blank=True)
    period_label = models.CharField("отчётный период", max_length=100, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PLANNED)
    actual_date = models.DateField("фактическая дата", null=True, blank=True)
    actual_text = models.CharField("фактическая дата (как в отчёте)", max_length=255, blank=True)
    result = models.TextField("результат", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто отчитался",
    )
    reported_at = models.DateTimeField("отчитались", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто проверил",
    )
    verified_at = models.DateTimeField("проверено", null=True, blank=True)
    return_reason = models.TextField("причина возврата", blank=True)
    cancel_reason = models.TextField("причина отмены", blank=True)
    schedule_mismatch = models.CharField(
        "расхождение со сроком", max_length=500, blank=True, help_text="Срок изменился после отчёта."
    )
    # Queryset updates (verification in bulk) set it themselves: they skip auto_now.
    updated_at = models.DateTimeField("изменена", auto_now=True, db_index=True)

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
            search_text.search_index("checkpoint_search_result", search_text.CHECKPOINT_RESULT),
            search_text.search_index("checkpoint_search_return", search_text.CHECKPOINT_RETURN),
        ]

    def __str__(self) -> str:
        return f"{self.activity.number} — {self.period_label or 'без срока'}"

    @property
    def is_open(self) -> bool:
        """Waiting for the coordinator's report (planned, or returned for another try)."""
        return self.status in outcomes.OPEN

    @property
    def is_handed_in(self) -> bool:
        return self.status in outcomes.HANDED_IN

    @property
    def is_returned(self) -> bool:
        return self.status == outcomes.RETURNED

    def is_overdue(self, today) -> bool:
        return outcomes.outcome_of(self.status, self.planned_due, self.actual_date, today) == outcomes.OVERDUE

    @property
    def done_late(self) -> bool:
        return self.status == self.Status.DONE and outcomes.is_late(self.planned_due, self.actual_date)


class CheckpointReopening(models.Model):
    """Staff let one checkpoint of a closed period change again; deleting the row locks it again."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="reopenings", verbose_name="контрольная точка"
    )
    period = models.ForeignKey(
        "roadmaps.ClosedPeriod", on_delete=models.CASCADE, related_name="reopenings", verbose_name="период"
    )
    reason = models.TextField("причина")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто сделал",
    )
    at = models.DateTimeField("когда", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "открытая контрольная точка закрытого периода"
        verbose_name_plural = "открытые контрольные точки закрытых периодов"
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "period"], name="checkpointreopening_once")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} в {self.period_id}"


class CheckpointTransition(models.Model):
    """One change of a checkpoint's status, appended by the services and never edited.

    Reports as of a date read the latest transition before that date's end, so later reports,
    acceptances and returns do not exist for them.
    """

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="transitions", verbose_name="контрольная точка"
    )
    status = models.CharField("новый статус", max_length=16, choices=CheckpointStatus.choices)
    at = models.DateTimeField("когда", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто сделал",
    )
    note = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "смена статуса контрольной точки"
        verbose_name_plural = "смены статусов контрольных точек"
        ordering = ["checkpoint", "at", "pk"]
        indexes = [models.Index(fields=["checkpoint", "at"])]

    def __str__(self) -> str:
        return f"{self.checkpoint_id}: {self.get_status_display()} {self.at:%d.%m.%Y %H:%M}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Files live under MEDIA_ROOT, which has no public URL: downloads go through a view that checks scope.
    return f"evidence/{instance.checkpoint_id}/{filename}"


class Evidence(models.Model):
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="evidence", verbose_name="контрольная точка"
    )
    url = models.URLField("ссылка", max_length=1000, blank=True)
    file = models.FileField("файл", upload_to=evidence_upload_to, blank=True, max_length=500)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True, verbose_name="тип файла")
    size = models.PositiveIntegerField(default=0, verbose_name="размер, байт")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто загрузил",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name="загружено")
    # Set when the report this file came with is returned: such a file never reaches a federal reviewer.
    returned_at = models.DateTimeField("отчёт возвращён", null=True, blank=True)
    # A public link carries this number; revoking or re-issuing the link changes it, killing old links.
    public_link_version = models.PositiveIntegerField("версия публичной ссылки", default=1)
    public_link_revoked_at = models.DateTimeField("публичная ссылка отозвана", null=True, blank=True)

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
