from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history import register

from config.history import HistoricalRecords
from organizations.names import normalize_name
from organizations.querysets import MembershipQuerySet, OrganizationQuerySet

# The check constraint below says the same for the database; this says it to a person, on the field.
INN_VALIDATOR = RegexValidator(r"^\d{10}(\d{2})?$", _("ИНН — 10 цифр у организации (12 у предпринимателя)."))


class Region(models.Model):
    code = models.CharField("код", max_length=3, unique=True)
    name = models.CharField("наименование", max_length=200)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="регион"
    )
    name = models.CharField("наименование", max_length=255)
    oktmo = models.CharField("ОКТМО", max_length=11, blank=True)

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name")]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    FEDERAL_COORDINATOR = "federal_coordinator", "федеральный координатор"
    REGIONAL_AUTHORITY = "regional_authority", "региональный орган управления образованием"
    REGIONAL_CENTRE = "regional_centre", "региональный институт или центр"
    MUNICIPAL_AUTHORITY = "municipal_authority", "муниципальный орган управления образованием"
    MUNICIPAL_CENTRE = "municipal_centre", "муниципальный центр"
    SCHOOL = "school", "общеобразовательная организация"
    SUPPLEMENTARY = "supplementary", "организация дополнительного образования"
    OTHER = "other", "иная организация"


class Organization(models.Model):
    Kind = OrganizationKind

    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=150, db_index=True)
    kind = models.CharField("вид", max_length=32, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="вышестоящая",
    )
    # Materialised path of ids ("/1/7/42/"): a scope is a prefix match, one indexed query at any depth.
    path = models.CharField(
        max_length=255, db_index=True, editable=False, default="", verbose_name="путь в дереве"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name="регион")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="муниципальное образование",
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[INN_VALIDATOR])
    ogrn = models.CharField("ОГРН", max_length=15, blank=True)
    head_name = models.CharField("руководитель (Ф.И.О.)", max_length=200, blank=True)
    head_position = models.CharField("должность руководителя", max_length=200, blank=True)
    # Organisations with history are never deleted; an inactive one is kept but no longer offered.
    is_active = models.BooleanField("действует", default=True, db_index=True)
    # Optimistic locking of the edit form: saved only on top of the version it was opened with.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name="версия")
    # What an API client syncing incrementally asks for (`updated_since`).
    updated_at = models.DateTimeField("изменена", auto_now=True, db_index=True)

    objects = OrganizationQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(inn="") | Q(inn__regex=r"^\d{10}(\d{2})?$"), name="organization_inn_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.full_name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = self._expected_path()
        if new_path != old_path:
            # Path is bookkeeping derived from parent; keep the subtree consistent when a branch moves,
            # in one UPDATE whatever its size (organizations.services.organization_move locks it first).
            type(self).objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                )
                # The updates above send no signals; roadmaps depends on this app, hence the late import.
                from roadmaps.data_version import organizations_data_changed

                organizations_data_changed(type(self).objects.filter(path__startswith=new_path))
            self.path = new_path

    def _expected_path(self) -> str:
        parent_path = self.parent.path if self.parent_id else "/"
        return f"{parent_path}{self.pk}/"


class MembershipRole(models.TextChoices):
    STAFF = "staff", "сотрудник органа управления"
    COORDINATOR = "coordinator", "координатор"
    ANALYST = "analyst", "аналитик"
    OBSERVER = "observer", "наблюдатель"


class Membership(models.Model):
    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="пользователь",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=16, choices=Role.choices)
    position = models.CharField("должность", max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "членство"
        verbose_name_plural = "членства"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


# Accounts are deactivated, reactivated and renamed by staff (organizations/people.py): history names who.
# The password and the last sign-in are not history; every sign-in still writes a row (simple-history saves
# on any save), which is the price of knowing who switched an account off.
register(
    User, app="organizations", records_class=HistoricalRecords, excluded_fields=["password", "last_login"]
)


class OrganizationAlias(models.Model):
    """A spelling of an organisation's name met in an imported document and confirmed by staff, so the
    next import of a file that spells it so needs no mapping (organizations/names.py compares spellings)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="known_spellings", verbose_name="организация"
    )
    spelling = models.CharField("написание", max_length=500)
    normalized = models.CharField("для сравнения", max_length=500, db_index=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="подтвердил",
    )  # fmt: skip
    created_at = models.DateTimeField("добавлено", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "написание организации"
        verbose_name_plural = "написания организаций"
        ordering = ["organization", "spelling"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "normalized"], name="organizationalias_once")
        ]

    def __str__(self) -> str:
        return self.spelling

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_name(self.spelling)
        super().save(*args, **kwargs)


class NotificationEvent(models.TextChoices):
    REPORT_RETURNED = "report_returned", "Отчёт возвращён на доработку"
    REPORT_WAITING = "report_waiting", "Отчёт ждёт проверки"
    COMMENT = "comment", "Новое сообщение в обсуждении, где вы участвовали"
    INVITATION_ACCEPTED = "invitation_accepted", "Приглашённый вошёл в портал"
    REPORT_READY = "report_ready", "Отчёт сформирован"
    PERIOD_CLOSING = "period_closing", "Отчётный период скоро закроется"
    DEADLINE_CHANGED = "deadline_changed", "Изменён срок вашей контрольной точки"


class NotificationDelivery(models.TextChoices):
    PORTAL = "portal", "только в портале"
    EMAIL = "email", "сразу по электронной почте"
    DIGEST = "digest", "ежедневной сводкой по почте"


class Notification(models.Model):
    """One thing that happened, for one person: shown in the inbox and, as they chose, e-mailed.

    `key` names what happened (a transition, a comment, a run): with the recipient and the event it is
    unique, so a fan-out that is retried creates nothing twice.
    """

    Event = NotificationEvent
    Delivery = NotificationDelivery

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="получатель",
    )
    event = models.CharField("событие", max_length=32, choices=Event.choices)
    key = models.CharField(max_length=100, verbose_name="ключ")
    title = models.CharField("заголовок", max_length=300)
    body = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    # Decided from the recipient's preference when created; `emailed_at` is set by the sending task.
    delivery = models.CharField("доставка", max_length=8, choices=Delivery.choices)
    emailed_at = models.DateTimeField("отправлено по почте", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event", "key"], name="notification_once"),
            models.CheckConstraint(
                condition=Q(event__in=NotificationEvent.values), name="notification_event_valid"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=NotificationDelivery.values), name="notification_delivery_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(
                fields=["delivery", "created_at"],
                condition=Q(emailed_at__isnull=True) & ~Q(delivery="portal"),
                name="notification_mail_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How a person wants one kind of event delivered; without a row the event's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="пользователь",
    )
    event = models.CharField("событие", max_length=32, choices=NotificationEvent.choices)
    delivery = models.CharField("доставка", max_length=8, choices=NotificationDelivery.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notificationpreference_one_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.delivery}"


class OnboardingUploadStatus(models.TextChoices):
    READY = "ready", "разобран"
    QUEUED = "queued", "записывается"
    APPLIED = "applied", "применён"


class OnboardingUpload(models.Model):
    """An onboarding workbook (organisations and people) read once on upload; the preview and the
    confirmation read the stored rows (JSON text) and compare them with the directory as it is then
    (organizations/onboarding/services.py). Confirmed once: the row is locked and marked applied."""

    Status = OnboardingUploadStatus

    token = models.CharField("ключ загрузки", max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="кто загрузил"
    )
    file_name = models.CharField("имя файла", max_length=255)
    rows = models.TextField("строки файла (JSON)")
    status = models.CharField("состояние", max_length=8, choices=Status.choices, default=Status.READY)
    result = models.TextField("итог", blank=True)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка организаций и сотрудников"
        verbose_name_plural = "загрузки организаций и сотрудников"

    def __str__(self) -> str:
        return self.file_name
