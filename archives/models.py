from django.conf import settings
from django.db import models
from django.db.models import Q

from organizations.models import Organization


class RegionArchiveStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "формируется"
    DONE = "done", "готов"
    FAILED = "failed", "ошибка"
    EXPIRED = "expired", "удалён по сроку хранения"


class RegionArchive(models.Model):
    """One request for «Архив данных региона»: everything in an organisation's subtree as one .zip,
    built by a worker (archives/services.py) and kept ARCHIVE_KEEP_DAYS days."""

    Status = RegionArchiveStatus

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="кто запросил",
    )  # fmt: skip
    status = models.CharField("состояние", max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    task_id = models.CharField("задача в очереди", max_length=64, blank=True)
    # MEDIA_ROOT has no public URL: the file is served by a view that checks the requester's scope.
    file = models.FileField("файл", upload_to="archives/", blank=True, max_length=500)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64, blank=True)
    counts = models.JSONField("сколько записей", default=dict, blank=True)
    error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField("запрошен", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    expires_at = models.DateTimeField("хранится до", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "архив данных региона"
        verbose_name_plural = "архивы данных региона"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RegionArchiveStatus.values), name="regionarchive_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} от {self.created_at:%d.%m.%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def download_name(self) -> str:
        return f"archive-{self.organization_id}-{self.created_at:%Y%m%d}-{self.pk}.zip"
