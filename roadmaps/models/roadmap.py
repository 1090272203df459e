import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.deletion import ProtectedError

from config.history import HistoricalRecords
from organizations.models import Organization
from projects.models import Project
from roadmaps import acts, search_text
from roadmaps.querysets import RoadmapQuerySet


def new_data_version() -> str:
    return uuid.uuid4().hex


class LegalActKind(models.TextChoices):
    DECREE = "decree", "постановление"
    DIRECTIVE = "directive", "распоряжение"
    ORDER = "order", "приказ"
    OTHER = "other", "иной документ"


class LegalAct(models.Model):
    Kind = LegalActKind

    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    number = models.CharField("номер", max_length=64)
    date = models.DateField("дата")
    issuer = models.CharField("кем издан", max_length=500, blank=True)
    title = models.CharField("наименование", max_length=1000, blank=True)

    class Meta:
        verbose_name = "правовой акт"
        verbose_name_plural = "правовые акты"
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LegalActKind.values), name="legalact_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} от {self.date:%d.%m.%Y} № {self.number}"

    def citation(self, case: str = acts.INSTRUMENTAL) -> str:
        """«приказом департамента … от … № …» (or «приказа …» with ``acts.GENITIVE``)."""
        return acts.act_citation(
            kind=self.kind, issuer=self.issuer, date=self.date, number=self.number, case=case
        )

    @property
    def approved_by_text(self) -> str:
        """For templates: «приказом департамента … от … № …»."""
        return self.citation()


class RoadmapLevel(models.TextChoices):
    FEDERAL = "federal", "федеральный"
    REGIONAL = "regional", "региональный"
    MUNICIPAL = "municipal", "муниципальный"
    ORGANIZATION = "organization", "организации"


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    APPROVED = "approved", "утверждена"
    ARCHIVED = "archived", "в архиве"


class Roadmap(models.Model):
    Level = RoadmapLevel

    Status = RoadmapStatus

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="проект",
    )
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="owned_roadmaps", verbose_name="владелец"
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices, default=Level.REGIONAL)
    title = models.CharField("наименование", max_length=1000)
    year_start = models.PositiveSmallIntegerField("год начала")
    year_end = models.PositiveSmallIntegerField("год окончания")
    goal = models.TextField("цель", blank=True)
    tasks = models.TextField("задачи", blank=True)
    expected_results = models.TextField("ожидаемые результаты", blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_by_act = models.ForeignKey(
        LegalAct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_roadmaps",
        verbose_name="утверждена актом",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    # «Создать на следующий год» (roadmaps/services/copying.py): the roadmap this one was copied from, and
    # what the copy changed or left out for a person to review (deadline wordings moved, targets dropped).
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="скопирована из",
    )
    copy_review = models.JSONField("проверить после копирования", default=list, blank=True, editable=False)
    # A fresh token on every write to the roadmap or anything in it (roadmaps/data_version.py): equal
    # tokens mean a report file built earlier is still true. Random, so a stale instance saved again
    # can never bring back an old value.
    data_version = models.CharField("версия данных", max_length=32, default=new_data_version, editable=False)
    # Optimistic locking: an edit is saved only on top of the version its form was opened with.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")

    history = HistoricalRecords(excluded_fields=["data_version", "version"])
    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-year_start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year_start__lte=F("year_end")), name="roadmap_years_ordered"),
            models.CheckConstraint(condition=Q(status__in=RoadmapStatus.values), name="roadmap_status_valid"),
            models.CheckConstraint(condition=Q(level__in=RoadmapLevel.values), name="roadmap_level_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by_act__isnull=False),
                name="roadmap_approved_has_act",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"]),
            search_text.search_index("roadmap_search_title", search_text.ROADMAP_TITLE),
            search_text.search_index("roadmap_search_results", search_text.ROADMAP_RESULTS),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> tuple[int, int]:
        return (self.year_start, self.year_end)

    @property
    def period_display(self) -> str:
        if self.year_start == self.year_end:
            return str(self.year_start)
        return f"{self.year_start}–{self.year_end}"

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise ProtectedError(
                "Утверждённую дорожную карту нельзя удалить — её можно только архивировать.", {self}
            )
        return super().delete(*args, **kwargs)


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "готовится"
    IN_FORCE = "in_force", "действует"


class Revision(models.Model):
    """An amendment («редакция») of a roadmap: which act changed it and what changed.

    Changes to an approved roadmap are made within its one draft edition and listed in `changes`;
    putting the edition in force closes it.
    """

    Status = RevisionStatus

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="revisions", verbose_name="дорожная карта"
    )
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    act = models.ForeignKey(
        LegalAct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name="акт",
    )
    date = models.DateField("дата редакции")
    summary = models.TextField("что изменено")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто создал",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="создано")

    class Meta:
        verbose_name = "редакция"
        verbose_name_plural = "редакции"
        ordering = ["roadmap", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RevisionStatus.values), name="revision_status_valid"
            ),
            models.UniqueConstraint(
                fields=["roadmap"],
                condition=Q(status="draft"),
                name="revision_one_draft_per_roadmap",
                violation_error_message="У дорожной карты уже открыта редакция.",
            ),
        ]

    def __str__(self) -> str:
        return f"ред. от {self.date:%d.%m.%Y}"


class RevisionChange(models.Model):
    """One change made within a draft edition, in words a reader of the edition understands."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="changes", verbose_name="редакция"
    )
    subject = models.CharField("что", max_length=300)
    description = models.TextField("изменение")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто сделал",
    )
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "изменение в редакции"
        verbose_name_plural = "изменения в редакции"
        ordering = ["revision", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.description[:80]}"


class ClosedPeriod(models.Model):
    """A closed reporting period: nothing due in it changes until staff reopen it (or single checkpoints).

    Closed for one roadmap, or for every roadmap owned within an organisation's subtree.
    """

    roadmap = models.ForeignKey(
        Roadmap,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closed_periods",
        verbose_name="дорожная карта",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="closed_periods",
        verbose_name="вся область организации",
    )  # fmt: skip
    first_day = models.DateField("с")
    last_day = models.DateField("по")
    label = models.CharField("период", max_length=100)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="кто закрыл",
    )
    closed_at = models.DateTimeField("закрыт", auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто открыл снова",
    )
    reopened_at = models.DateTimeField("открыт снова", null=True, blank=True)
    reopen_reason = models.TextField("причина открытия", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "закрытый отчётный период"
        verbose_name_plural = "закрытые отчётные периоды"
        ordering = ["-first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(roadmap__isnull=True, organization__isnull=False)
                | Q(roadmap__isnull=False, organization__isnull=True),
                name="closedperiod_roadmap_or_organization",
            ),
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")),
                name="closedperiod_days_ordered",
                violation_error_message="Начало периода позже его окончания.",
            ),
        ]
        indexes = [
            models.Index(fields=["roadmap", "last_day"]),
            models.Index(fields=["organization", "last_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.first_day:%d.%m.%Y}–{self.last_day:%d.%m.%Y})"

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None


class ImportConfirmation(models.Model):
    """An upload token redeemed by a confirmed import: unique, so two simultaneous confirms of one
    upload create one roadmap."""

    token = models.CharField(max_length=64, unique=True, verbose_name="токен")
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, null=True, related_name="+", verbose_name="дорожная карта"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="кто подтвердил",
    )
    confirmed_at = models.DateTimeField(auto_now_add=True, verbose_name="подтверждено")

    class Meta:
        verbose_name = "подтверждённый импорт"
        verbose_name_plural = "подтверждённые импорты"

    def __str__(self) -> str:
        return self.token
