from django.db import models
from django.db.models import Q

from config.history import HistoricalRecords
from organizations.models import Organization
from roadmaps import search_text
from roadmaps.deadlines import KIND_BY_EVENT, KIND_LABELS, KIND_UNPARSED, KINDS_NEEDING_REVIEW, REVIEW_NOTES
from roadmaps.models.roadmap import Roadmap
from roadmaps.numbering import number_sort_key
from roadmaps.querysets import ActivityQuerySet

UNPARSED_NOTE = "срок не распознан: контрольных точек нет — задайте их вручную или исправьте срок"
NO_CHECKPOINTS_NOTE = "контрольных точек нет: срок не дал ни одной даты в периоде дорожной карты"
NO_CHECKPOINT_REASONS = {KIND_BY_EVENT: REVIEW_NOTES[KIND_BY_EVENT], KIND_UNPARSED: UNPARSED_NOTE}


class Section(models.Model):
    """A heading of a roadmap's table; sections nest as the document's headings do (Подпрограмма → Цель →
    Задача → раздел).

    At most MAX_DEPTH levels: the deepest real plans have four (a subprogramme, its goal, its task and a
    direction of work); a deeper chain comes from a misread document rather than a plan, and every level
    costs the roadmap page, the export and the preview an indent people can still follow."""

    MAX_DEPTH = 4

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="sections", verbose_name="дорожная карта"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subsections",
        verbose_name="вышестоящий раздел",
    )
    number = models.CharField("номер", max_length=32, blank=True)
    title = models.CharField("наименование", max_length=1000)
    position = models.PositiveIntegerField("порядок", default=0)
    # Optimistic locking: an edit is saved only on top of the version its form was opened with.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["roadmap", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.parent_id:
            return
        if self.parent.roadmap_id != self.roadmap_id:
            raise ValidationError({"parent": "Вышестоящий раздел должен принадлежать той же дорожной карте."})
        depth, above = 1, self.parent
        while above is not None and depth <= self.MAX_DEPTH:  # bounded even on a looped chain
            if self.pk is not None and above.pk == self.pk:
                raise ValidationError({"parent": "Раздел нельзя вложить в него самого или в его подраздел."})
            depth += 1
            above = above.parent if above.parent_id else None
        if depth + self._subtree_height() > self.MAX_DEPTH:
            raise ValidationError({"parent": f"Разделы вкладываются не глубже {self.MAX_DEPTH} уровней."})

    def _subtree_height(self) -> int:
        """Levels below this section (0 for a new one or one without subsections): moving a section moves
        its subsections with it."""
        if self.pk is None:
            return 0
        height, level = 0, [self.pk]
        for _ in range(self.MAX_DEPTH):  # bounded: the tree is never deeper than that
            level = list(Section.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            if not level:
                break
            height += 1
        return height


class Activity(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="activities", verbose_name="дорожная карта"
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="раздел",
    )
    number = models.CharField("номер", max_length=32, help_text="Как в документе: «1.1.», «7.»")
    sort_key = models.CharField(max_length=128, editable=False, db_index=True, verbose_name="ключ сортировки")
    title = models.TextField("наименование мероприятия")
    goal_and_tasks = models.TextField("цель и задачи", blank=True)
    place_and_format = models.TextField("место и формат проведения", blank=True)
    planned_result = models.TextField("планируемый результат", blank=True)
    result_document = models.CharField("вид документа-результата", max_length=500, blank=True)
    target_audience = models.TextField("целевая аудитория", blank=True)
    links = models.TextField("ссылки на информационное сопровождение", blank=True)
    comment = models.TextField("комментарий", blank=True)
    responsible_text = models.TextField("ответственные (как в документе)", blank=True)
    deadline_text = models.TextField("срок (как в документе)", blank=True)
    schedule_kind = models.CharField("вид срока", max_length=16, blank=True, editable=False)
    schedule_description = models.CharField("срок (разобранный)", max_length=255, blank=True, editable=False)
    schedule_problems = models.JSONField("замечания к сроку", default=list, blank=True, editable=False)
    # A person added, moved or removed a checkpoint: editing the wording then asks before regenerating.
    schedule_by_hand = models.BooleanField("сроки заданы вручную", default=False, editable=False)
    # Staff decided an activity due by event needs no checkpoint: it leaves «Требует проверки» with this.
    unscheduled_reason = models.CharField(
        "почему срок не планируется", max_length=500, blank=True, editable=False
    )
    revision_note = models.TextField("редакция (как в документе)", blank=True)
    # Bumped on every save; the edit form carries it, so a stale second save is refused, not merged.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")
    updated_at = models.DateTimeField("изменено", auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["sort_key"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["roadmap", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="activity_unique_number"),
            models.CheckConstraint(condition=~Q(number=""), name="activity_number_not_empty"),
        ]
        indexes = [
            models.Index(fields=["roadmap", "sort_key"]),
            search_text.search_index("activity_search_title", search_text.ACTIVITY_TITLE),
            search_text.search_index("activity_search_results", search_text.ACTIVITY_RESULTS),
            search_text.search_index("activity_search_responsible", search_text.ACTIVITY_RESPONSIBLE),
            search_text.search_index("activity_search_comment", search_text.ACTIVITY_COMMENT),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def needs_review(self) -> bool:
        """The wording itself needs a person (the badge beside the deadline)."""
        return bool(self.schedule_warning)

    def review_reasons(self, *, has_checkpoints: bool, approved: bool) -> list[str]:
        """Why the activity is in «Требует проверки», empty when it is not: the Python twin of
        ActivityQuerySet.needing_review, for rows a page has already read."""
        if self.schedule_problems:  # they say what is wrong, an empty schedule included
            return list(self.schedule_problems)
        if self.unscheduled_reason:
            return []
        if not has_checkpoints and (approved or self.schedule_kind in KINDS_NEEDING_REVIEW):
            return [NO_CHECKPOINT_REASONS.get(self.schedule_kind, NO_CHECKPOINTS_NOTE)]
        return []

    @property
    def schedule_kind_label(self) -> str:
        return KIND_LABELS.get(self.schedule_kind, self.schedule_kind)

    @property
    def schedule_warning(self) -> str:
        """What a person must fix or do about the deadline, in words; empty when nothing. Touches only this
        row: an activity whose hand-set checkpoints stand in for a «по событию» wording has nothing to do."""
        if self.schedule_problems:
            return " ".join(self.schedule_problems)
        if self.schedule_kind in KINDS_NEEDING_REVIEW and not (
            self.schedule_by_hand or self.unscheduled_reason
        ):
            return REVIEW_NOTES.get(self.schedule_kind, UNPARSED_NOTE)
        return ""


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", "ответственный исполнитель"
    CO_EXECUTOR = "co", "соисполнитель"


class Responsibility(models.Model):
    Role = ResponsibilityRole

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="responsibilities", verbose_name="мероприятие"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="responsibilities", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=8, choices=Role.choices, default=Role.LEAD)
    by_agreement = models.BooleanField("по согласованию", default=False)
    person = models.CharField("ответственное лицо", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    # Optimistic locking: an edit is saved only on top of the version its form was opened with.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ответственный"
        verbose_name_plural = "ответственные"
        ordering = ["activity", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization"], name="responsibility_unique_organization"
            ),
            models.CheckConstraint(condition=Q(role__in=["lead", "co"]), name="responsibility_role_valid"),
        ]
        # «Мои мероприятия» and visibility start from the organisation: without this index every such
        # query scanned all responsibilities (154 ms → 58 ms on the national data set).
        indexes = [models.Index(fields=["organization", "activity"], name="responsibility_org_activity")]

    def __str__(self) -> str:
        suffix = " (по согласованию)" if self.by_agreement else ""
        return f"{self.organization}{suffix}"


class RoadmapParticipant(models.Model):
    """An organisation responsible for at least one activity of a roadmap: visibility as data.

    Who may see a roadmap is one indexed lookup here instead of a walk over every activity and
    responsibility; roadmaps/participation.py keeps it in step with responsibilities.
    """

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="participants", verbose_name="дорожная карта"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="roadmap_participations",
        related_query_name="roadmap_participation",
        verbose_name="организация",
    )

    class Meta:
        verbose_name = "участник дорожной карты"
        verbose_name_plural = "участники дорожных карт"
        constraints = [
            models.UniqueConstraint(fields=["organization", "roadmap"], name="roadmapparticipant_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} в {self.roadmap_id}"
