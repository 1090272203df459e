from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.history import HistoricalRecords
from organizations.models import Organization, Region
from projects.models import Project
from reports.querysets import ReportRunQuerySet
from roadmaps.models import Checkpoint, Roadmap


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    PDF = "pdf", "PDF"
    ZIP = "zip", "Архив (.zip)"


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "формируется"
    DONE = "done", "готов"
    FAILED = "failed", "ошибка"


class ScopedReport(models.Model):
    """What a run or a schedule reports on: one roadmap, or every roadmap of a project in one region."""

    Format = ReportFormat

    kind = models.CharField("вид отчёта", max_length=64)
    format = models.CharField("формат", max_length=8, choices=Format.choices)
    roadmap = models.ForeignKey(
        Roadmap,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="дорожная карта",
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="проект"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="регион"
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(roadmap__isnull=False) & Q(project__isnull=True) & Q(region__isnull=True))
                | (Q(roadmap__isnull=True) & Q(project__isnull=False) & Q(region__isnull=False)),
                name="%(class)s_scope_roadmap_or_project_region",
            )
        ]

    @property
    def kind_title(self) -> str:
        """The report's Russian title from the builder registry; the bare code only for an unknown kind."""
        from reports.builders import REGISTRY  # the builders import these models

        builder = REGISTRY.get(self.kind)
        return builder.title if builder else self.kind

    @property
    def title(self) -> str:
        """«Отчёт по форме федерального координатора — Excel (.xlsx)»: how every page, e-mail and
        notification names a run or a schedule."""
        return f"{self.kind_title} — {self.get_format_display()}"


class ReportRun(ScopedReport):
    """One request to build a report file, from the queue to the download."""

    Status = ReportRunStatus

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name="кто запросил",
    )
    schedule = models.ForeignKey(
        "reports.ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name="расписание",
    )
    as_of = models.DateField("по состоянию на")
    parameters = models.JSONField("параметры", default=dict, blank=True)
    status = models.CharField("состояние", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    # The broker message that carries the run, so the sweeper can tell a queue that lost it.
    task_id = models.CharField("задача в очереди", max_length=64, blank=True)
    # When the run was last queued, or last heard from while it was built: the sweeper's clock.
    heartbeat_at = models.DateTimeField("последний признак жизни", null=True, blank=True)
    # MEDIA_ROOT has no public URL: files are served by a view that checks scope.
    file = models.FileField("файл", upload_to="reports/", blank=True, max_length=500)
    download_name = models.CharField("имя файла для скачивания", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64, blank=True)
    data_fingerprint = models.CharField("отпечаток данных", max_length=64, blank=True, db_index=True)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="файл взят из",
    )
    error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField("запрошен", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    notified_at = models.DateTimeField("получатели оповещены", null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "формирование отчёта"
        verbose_name_plural = "формирования отчётов"
        ordering = ["-created_at", "-pk"]
        constraints = [
            *ScopedReport.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=ReportRunStatus.values), name="reportrun_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ReportFormat.values), name="reportrun_format_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_percent"),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} на {self.as_of:%d.%m.%Y} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def roadmap_ids(self) -> list[int]:
        return [int(pk) for pk in self.parameters.get("roadmap_ids", [])]


class ScheduleCadence(models.TextChoices):
    MONTHLY = "monthly", "ежемесячно"
    QUARTERLY = "quarterly", "ежеквартально"
    DATES = "dates", "в указанные даты"


class ReportSchedule(ScopedReport):
    """A report built on a cadence and mailed to its recipients as a link."""

    Cadence = ScheduleCadence

    cadence = models.CharField("периодичность", max_length=16, choices=Cadence.choices)
    day = models.PositiveSmallIntegerField(
        "день месяца", default=1, help_text="Для ежемесячных и ежеквартальных; 31 — последний день месяца."
    )
    quarter_month = models.PositiveSmallIntegerField(
        "месяц квартала",
        default=3,
        choices=[(1, "первый"), (2, "второй"), (3, "третий")],
        help_text="Для ежеквартальных: 3 — март, июнь, сентябрь, декабрь.",
    )
    dates = models.JSONField("даты (ДД.ММ)", default=list, blank=True, help_text="Например: 18.06, 17.09.")
    recipients = models.TextField("получатели (e-mail, по одному на строку)", blank=True)
    parameters = models.JSONField("параметры", default=dict, blank=True)
    is_active = models.BooleanField("действует", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="создал"
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    last_run_on = models.DateField("последний запуск", null=True, blank=True)

    class Meta:
        verbose_name = "расписание отчёта"
        verbose_name_plural = "расписания отчётов"
        ordering = ["kind", "pk"]
        constraints = [
            *ScopedReport.Meta.constraints,
            models.CheckConstraint(
                condition=Q(cadence__in=ScheduleCadence.values), name="reportschedule_cadence_valid"
            ),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=31), name="reportschedule_day_in_month"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.get_cadence_display()}"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "срок приближается"
    OVERDUE = "overdue", "просрочено"


class ReminderLog(models.Model):
    """A checkpoint was reminded about at this stage on this day.

    Unique per day: a second run the same day sends nothing; an overdue checkpoint gets a new row each time
    it is reminded again (ReminderSettings.overdue_repeat_days), a due-soon one only ever one row.
    """

    Stage = ReminderStage

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="+", verbose_name="контрольная точка"
    )
    stage = models.CharField("этап", max_length=16, choices=Stage.choices)
    sent_on = models.DateField("день рассылки", default=timezone.localdate)
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "stage", "sent_on"], name="reminderlog_once_per_stage_and_day"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=ReminderStage.values), name="reminderlog_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id}: {self.get_stage_display()} ({self.sent_on:%d.%m.%Y})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "понедельник"
    TUESDAY = 1, "вторник"
    WEDNESDAY = 2, "среда"
    THURSDAY = 3, "четверг"
    FRIDAY = 4, "пятница"
    SATURDAY = 5, "суббота"
    SUNDAY = 6, "воскресенье"


class ReminderSettings(models.Model):
    """The reminder rules, one row (pk 1) a superuser edits in the admin; read once per run."""

    SINGLETON_PK = 1
    Weekday = Weekday

    days_before = models.PositiveSmallIntegerField(
        "за сколько дней напоминать о сроке", default=7, help_text="0 — только в сам день срока."
    )
    overdue_repeat_days = models.PositiveSmallIntegerField(
        "повторять о просроченном каждые N дней", default=7, help_text="0 — напомнить о просрочке один раз."
    )
    quiet_on_days_off = models.BooleanField(
        "не рассылать в выходные и праздники",
        default=True,
        help_text="По производственному календарю; в следующий рабочий день рассылка догоняет пропущенное.",
    )
    weekly_summary_weekday = models.PositiveSmallIntegerField(
        "день еженедельной сводки руководителям",
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text="Если этот день нерабочий — в ближайший следующий рабочий день недели.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "правила напоминаний"
        verbose_name_plural = "правила напоминаний"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="remindersettings_single_row"),
            models.CheckConstraint(
                condition=Q(weekly_summary_weekday__gte=0, weekly_summary_weekday__lte=6),
                name="remindersettings_weekday_valid",
            ),
        ]

    def __str__(self) -> str:
        return "Правила напоминаний"

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls, *, lock: bool = False) -> "ReminderSettings":
        """The saved rules (the defaults while nobody has saved any); `lock` serialises runs on the row."""
        manager = cls.objects.select_for_update() if lock else cls.objects
        settings_row, _created = manager.get_or_create(pk=cls.SINGLETON_PK)
        return settings_row


class ProductionCalendarDay(models.Model):
    """A day the production calendar of the Russian Federation marks against the week's pattern:
    a holiday or a day off carried over (not working), or a Saturday or Sunday worked instead (working).

    Days not listed follow the week: Monday to Friday working, Saturday and Sunday off.
    """

    date = models.DateField("дата", unique=True)
    is_working = models.BooleanField("рабочий день", default=False)
    note = models.CharField("примечание", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "день производственного календаря"
        verbose_name_plural = "производственный календарь"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "рабочий" if self.is_working else "нерабочий"
        return f"{self.date:%d.%m.%Y} — {kind}{f' ({self.note})' if self.note else ''}"


class WeeklySummaryLog(models.Model):
    """The weekly overdue summary went to this authority's staff for the ISO week starting `week_start`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="орган управления"
    )
    week_start = models.DateField("неделя с")
    overdue = models.PositiveIntegerField("просрочено контрольных точек", default=0)
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "еженедельная сводка"
        verbose_name_plural = "еженедельные сводки"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_start"], name="weeklysummarylog_once_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: неделя с {self.week_start:%d.%m.%Y}"
