from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.history import HistoricalRecords
from organizations.models import Organization
from roadmaps import search_text
from roadmaps.models.activity import Activity
from roadmaps.models.checkpoint import Checkpoint


def comment_upload_to(instance: "Comment", filename: str) -> str:
    # Private like evidence: under MEDIA_ROOT with no public URL, served by a view that checks scope.
    return f"comments/{instance.checkpoint_id or 'a' + str(instance.activity_id)}/{filename}"


class Comment(models.Model):
    """One message in the thread of a checkpoint, or of an activity (the department's own discussion).

    Comments are appended and never edited, so the whole conversation of a report stays readable.
    """

    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="контрольная точка",
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="мероприятие",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="автор"
    )
    # The organisation the author wrote for: the one of theirs that reaches the checkpoint or activity.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    text = models.TextField("сообщение")
    file = models.FileField("файл", upload_to=comment_upload_to, blank=True, max_length=500)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True, verbose_name="тип файла")
    size = models.PositiveIntegerField(default=0, verbose_name="размер, байт")
    created_at = models.DateTimeField("когда", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkpoint__isnull=False, activity__isnull=True)
                | Q(checkpoint__isnull=True, activity__isnull=False),
                name="comment_in_one_thread",
            )
        ]
        indexes = [
            models.Index(fields=["checkpoint", "created_at"], name="comment_checkpoint_thread"),
            models.Index(fields=["activity", "created_at"], name="comment_activity_thread"),
            search_text.search_index("comment_search_text", search_text.COMMENT_TEXT),
        ]

    def __str__(self) -> str:
        return self.text[:80]
