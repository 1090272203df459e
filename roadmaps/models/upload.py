from django.conf import settings
from django.db import models

from organizations.models import Organization


class ImportUploadStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    PARSING = "parsing", "разбирается"
    READY = "ready", "разобран"
    REFUSED = "refused", "отклонён"


class ImportUpload(models.Model):
    """A document uploaded for import, parsed once in a worker (roadmaps/services/imports.py); the
    preview and the confirmation read ``parsed`` and never the file again. The record owns its file
    in storage (``stored_name``): both go on confirmation, on cancel, or when ``expires_at`` passes."""

    Status = ImportUploadStatus
    FINISHED = (Status.READY, Status.REFUSED)

    token = models.CharField("ключ загрузки", max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="кто загрузил"
    )
    owner = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="организация-владелец"
    )
    file_name = models.CharField("имя файла", max_length=255)
    stored_name = models.CharField("файл в хранилище", max_length=500)
    size = models.PositiveBigIntegerField("размер, байт")
    status = models.CharField("состояние", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    attempts = models.PositiveSmallIntegerField("попыток разбора", default=0)
    refusal = models.TextField("почему отклонён", blank=True)
    # ParsedRoadmap.to_dict() as JSON text, empty until ready: tens of megabytes for a 50,000-row plan, so
    # screens that only need the status defer it. Text, not jsonb: nothing queries inside it, and jsonb
    # adds seconds to each write and read of a big plan.
    parsed = models.TextField("разобранная дорожная карта (JSON)", blank=True)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    expires_at = models.DateTimeField("удаляется после", db_index=True)

    class Meta:
        verbose_name = "загрузка для импорта"
        verbose_name_plural = "загрузки для импорта"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importupload_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
