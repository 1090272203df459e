from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from config.history import HistoricalRecords
from organizations.models import Organization, Region


class ProjectLevel(models.TextChoices):
    NATIONAL = "national", "национальный"
    FEDERAL = "federal", "федеральный"
    REGIONAL = "regional", "региональный"
    PROGRAMME = "programme", "программа / проект координатора"


class Project(models.Model):
    Level = ProjectLevel

    code = models.SlugField("код", max_length=64, unique=True)
    name = models.CharField("наименование", max_length=500)
    level = models.CharField("уровень", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="входит в",
    )
    coordinator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_projects",
        verbose_name="федеральный координатор",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name="регион")
    year_start = models.PositiveSmallIntegerField("год начала")
    year_end = models.PositiveSmallIntegerField("год окончания")
    description = models.TextField("описание", blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "проект"
        verbose_name_plural = "проекты"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(year_start__lte=F("year_end")), name="project_years_ordered"),
            models.CheckConstraint(condition=Q(level__in=ProjectLevel.values), name="project_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """An organisation taking part in a project, e.g. one of the «500+» schools with its curator."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participants", verbose_name="проект"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participations", verbose_name="организация"
    )
    curator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curated_participations",
        verbose_name="куратор (организация)",
    )
    # A curator is a person with a membership; the text stays for imported and older lists without one.
    curator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curated_participations",
        verbose_name="куратор",
    )
    curator_name = models.CharField("куратор (Ф.И.О.)", max_length=200, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник проекта"
        verbose_name_plural = "участники проекта"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="participant_unique_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} в «{self.project}»"

    def clean(self) -> None:
        """A curator person is a member of the curator organisation when one is set, of some organisation
        otherwise (the scope part is the service's: projects/services.py)."""
        if self.curator_user_id is None:
            return
        memberships = self.curator_user.memberships.all()
        if self.curator_id is not None and not memberships.filter(organization_id=self.curator_id).exists():
            raise ValidationError({"curator_user": "Куратор должен состоять в организации-кураторе."})
        if not memberships.exists():
            raise ValidationError({"curator_user": "У куратора нет членства ни в одной организации."})

    @property
    def curator_display(self) -> str:
        """The person when set, the text otherwise."""
        if self.curator_user_id is not None:
            return self.curator_user.get_full_name() or self.curator_user.get_username()
        return self.curator_name
