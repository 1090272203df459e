from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from config.history import HistoricalRecords
from organizations.models import Organization
from roadmaps import outcomes
from roadmaps.models.activity import Activity
from roadmaps.models.roadmap import Roadmap


class Indicator(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="indicators", verbose_name="дорожная карта"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="мероприятие",
    )
    name = models.TextField("наименование показателя")
    unit = models.CharField("единица измерения", max_length=32, default="%")
    base_value = models.DecimalField(
        "базовое значение", max_digits=14, decimal_places=2, null=True, blank=True
    )
    base_year = models.PositiveSmallIntegerField("базовый год", null=True, blank=True)
    aggregation = models.CharField(
        "как сводятся значения организаций",
        max_length=16,
        choices=outcomes.AGGREGATIONS,
        default=outcomes.SUM,
        help_text="Доли усредняются (просто или с весом — численностью), количества складываются.",
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    # Optimistic locking: an edit is saved only on top of the version its form was opened with.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")
    updated_at = models.DateTimeField("изменён", auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["roadmap", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name[:80]}, {self.unit}"

    @property
    def aggregation_applied(self) -> str:
        """The method the figures follow (a share is never summed, whatever is stored)."""
        return outcomes.aggregation_for(self.unit, self.aggregation)

    @property
    def aggregation_label(self) -> str:
        return outcomes.AGGREGATION_LABELS[self.aggregation_applied]

    @property
    def needs_weight(self) -> bool:
        return self.aggregation_applied == outcomes.WEIGHTED


class IndicatorTarget(models.Model):
    """The target value of an indicator for one period (a year): the roadmap's (no organisation) or one
    participating organisation's own."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="показатель"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name="организация",
        help_text="Пусто — цель дорожной карты в целом.",
    )
    year = models.PositiveSmallIntegerField("год")
    value = models.DecimalField("целевое значение", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевое значение"
        verbose_name_plural = "целевые значения"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(organization__isnull=True),
                name="indicatortarget_one_per_year",
                violation_error_message="Для этого года целевое значение дорожной карты уже задано.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "organization"],
                condition=Q(organization__isnull=False),
                name="indicatortarget_one_per_org_year",
                violation_error_message="Для этого года целевое значение этой организации уже задано.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class IndicatorValue(models.Model):
    """An actual value reported by an organisation for one period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name="показатель"
    )
    year = models.PositiveSmallIntegerField("год")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="indicator_values", verbose_name="организация"
    )
    value = models.DecimalField("фактическое значение", max_digits=14, decimal_places=2)
    weight = models.DecimalField(
        "численность (база доли)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Для взвешенного среднего: сколько обучающихся (педагогов…) стоит за долей организации.",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто отчитался",
    )
    reported_at = models.DateTimeField("внесено", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "фактическое значение"
        verbose_name_plural = "фактические значения"
        ordering = ["indicator", "year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "organization"],
                name="indicatorvalue_one_per_org_year",
                violation_error_message="Значение за этот год от этой организации уже внесено.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


def roadmap_targets() -> models.Prefetch:
    """Prefetch an indicator's roadmap-level targets only (not the organisations' own) as `targets`."""
    return models.Prefetch("targets", queryset=IndicatorTarget.objects.filter(organization__isnull=True))
