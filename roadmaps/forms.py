"""Forms for the roadmap screens. They validate input only; views hand cleaned data to services."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Region
from projects.models import Project
from roadmaps import outcomes, reporting_periods
from roadmaps.date_fields import RuDateField
from roadmaps.models import (
    Activity,
    CheckpointTransition,
    Evidence,
    Indicator,
    LegalAct,
    Responsibility,
    Roadmap,
    Section,
)
from roadmaps.services.activities import ACTIVITY_FIELDS
from roadmaps.services.comments import COMMENT_MAX_LENGTH


def _date_field(label: str, required: bool = True) -> forms.DateField:
    return RuDateField(label=label, required=required)


class VersionedFormMixin:
    """An edit form's hidden `version`: the version of the object the form was opened on.

    It refuses nothing: an empty, zero or garbled version goes to the service, which takes it for a stale
    edit (never for "skip the check"), and the view answers 409 with the comparison screen.
    """

    def add_version_field(self, version: int) -> None:
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=version)

    def opened_version(self) -> str:
        return self.cleaned_data.get("version", "")


# --- Roadmaps ---------------------------------------------------------------------------------------


class RoadmapForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "project", "level", "year_start", "year_end", "goal", "tasks", "expected_results"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.add_version_field(self.instance.version)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("year_start"), data.get("year_end")
        if start and end and start > end:
            self.add_error("year_end", _("Год окончания раньше года начала."))
        return data


class RoadmapCreateForm(RoadmapForm):
    owner = forms.ModelChoiceField(label=_("Владелец"), queryset=Organization.objects.none())

    class Meta(RoadmapForm.Meta):
        fields = ["owner", *RoadmapForm.Meta.fields]

    def __init__(self, *args, owners: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if owners.count() == 1:
            self.fields["owner"].initial = owners.first()


class LegalActForm(forms.ModelForm):
    date = _date_field(_("Дата"))

    class Meta:
        model = LegalAct
        fields = ["kind", "number", "date", "issuer", "title"]


class RevisionForm(forms.Form):
    date = _date_field(_("Дата редакции"))
    summary = forms.CharField(label=_("Что изменено"), widget=forms.Textarea(attrs={"rows": 4}))
    act_kind = forms.ChoiceField(
        label=_("Вид акта"), choices=[("", "—"), *LegalAct.Kind.choices], required=False
    )
    act_number = forms.CharField(label=_("Номер акта"), max_length=64, required=False)
    act_date = _date_field(_("Дата акта"), required=False)
    act_issuer = forms.CharField(label=_("Кем издан"), max_length=500, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if any(data.get(name) for name in ("act_kind", "act_number", "act_date")):
            for name in ("act_kind", "act_number", "act_date"):
                if not data.get(name):
                    self.add_error(name, _("Укажите вид, номер и дату акта или оставьте их пустыми."))
        return data

    def legal_act(self) -> LegalAct | None:
        data = self.cleaned_data
        if not data.get("act_number"):
            return None
        return LegalAct(
            kind=data["act_kind"], number=data["act_number"], date=data["act_date"], issuer=data["act_issuer"]
        )


# --- Sections and activities ------------------------------------------------------------------------


class SectionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["number", "title", "parent"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's clean compares the parent's roadmap with this one's: a new section's is set here.
        self.instance.roadmap = roadmap
        # Any section may hold subsections; Section.clean refuses a loop or a tree deeper than MAX_DEPTH.
        groups = roadmap.sections.all()
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = groups.order_by("position", "pk")
        self.fields["parent"].required = False
        if self.instance.pk:
            self.add_version_field(self.instance.version)
        else:
            self.fields["number"].help_text = _(
                "Можно оставить пустым: раздел получит следующий номер («3.», а в разделе «2.» — «2.1.»)."
            )


class ActivityForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ACTIVITY_FIELDS
            if name not in ("section", "number", "result_document")
        }

    def __init__(self, *args, roadmap: Roadmap, suggested_number: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = roadmap.sections.order_by("position", "pk")
        self.fields["title"].widget.attrs["rows"] = 3
        if not self.instance.pk:
            # A new activity may come without a number: the service gives it the next one in the roadmap's
            # style, and the suggestion is shown to keep or change.
            self.fields["number"].required = False
            self.fields["number"].initial = suggested_number
            self.fields["number"].help_text = _("Предложен следующий номер; его можно изменить или стереть.")
        self.fields["deadline_text"].help_text = _(
            "Как в документе, например «ежеквартально, до 5 числа месяца, следующего за отчётным»."
        )
        if self.instance.pk:
            self.add_version_field(self.instance.version)

    def _post_clean(self) -> None:
        # Validation of the whole model happens in the service, which also checks the version under a lock.
        pass

    # «Исправить» from «Требует проверки» names the field the problem is in (the review list knows it).
    FIXABLE = ("deadline_text",)
    problem_field = ""
    problems: tuple[str, ...] | list[str] = ()

    def show_problem(self, name: str, problems: list[str]) -> None:
        """Open on the problem: its text above the field (partials/field.html), read with it and focused."""
        if name not in self.FIXABLE or not problems:
            return
        self.problem_field, self.problems = name, problems
        field = self[name]
        described = [f"{field.auto_id}_problem"]
        if field.help_text:
            described.append(f"{field.auto_id}_helptext")
        field.field.widget.attrs.update({"autofocus": True, "aria-describedby": " ".join(described)})


class _ResponsibilityBulkForm(forms.Form):
    """The roadmap page's bulk bar: one organisation and the activities ticked in the table."""

    activities = forms.ModelMultipleChoiceField(
        label=_("Мероприятия"),
        queryset=Activity.objects.none(),
        error_messages={"required": _("Отметьте мероприятия.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Организация"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Выберите организацию.")},
    )

    def __init__(self, *args, roadmap: Roadmap, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = roadmap.activities.all()
        self.fields["organization"].queryset = organizations


class ResponsibilityAssignForm(_ResponsibilityBulkForm):
    role = forms.ChoiceField(
        label=_("Роль"), choices=Responsibility.Role.choices, initial=Responsibility.Role.LEAD
    )
    by_agreement = forms.BooleanField(label=_("по согласованию"), required=False)
    person = forms.CharField(label=_("Ответственное лицо"), max_length=255, required=False)


class ResponsibilityBulkChangeForm(_ResponsibilityBulkForm):
    """«Изменить» or «Снять» for the chosen organisation across the ticked activities. Its fields are named
    apart from the assign form's, since both are parts of one HTML form sharing the ticked boxes."""

    UPDATE, REMOVE = "update", "remove"

    action = forms.ChoiceField(choices=[(UPDATE, _("Изменить")), (REMOVE, _("Снять"))])
    set_role = forms.ChoiceField(
        label=_("Новая роль"),
        choices=[("", _("— не менять —")), *Responsibility.Role.choices],
        required=False,
    )
    set_by_agreement = forms.TypedChoiceField(
        label=_("«По согласованию»"),
        choices=[("", _("— не менять —")), ("yes", _("по согласованию")), ("no", _("без согласования"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, roadmap: Roadmap, organizations: QuerySet[Organization], **kwargs):
        # An organisation from elsewhere in the region may have come with the imported document.
        responsible_here = Organization.objects.filter(responsibilities__activity__roadmap=roadmap)
        organizations = Organization.objects.filter(
            Q(pk__in=organizations.values("pk")) | Q(pk__in=responsible_here.values("pk"))
        )
        super().__init__(*args, roadmap=roadmap, organizations=organizations, **kwargs)


class ResponsibilityForm(forms.Form):
    """One responsible organisation's terms, edited on the activity page."""

    role = forms.ChoiceField(label=_("Роль"), choices=Responsibility.Role.choices)
    by_agreement = forms.BooleanField(label=_("по согласованию"), required=False)
    person = forms.CharField(label=_("Ответственное лицо"), max_length=255, required=False)
    # The version the form was opened with, refusing nothing: a stale or garbled one is answered 409.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Checkpoints and indicators ---------------------------------------------------------------------


def _attachment_field() -> forms.FileField:
    """An optional file with evidence's content checks (roadmaps/evidence_files.py) done by the service."""
    return forms.FileField(
        label=_("Файл (PDF, DOCX, XLSX, JPG, PNG, до 20 МБ)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )


class CheckpointReportForm(forms.Form):
    actual_date = _date_field(_("Фактическая дата"))
    result = forms.CharField(label=_("Результат"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    url = forms.URLField(
        label=_("Ссылка на подтверждение"), required=False, max_length=1000, assume_scheme="https"
    )
    file = _attachment_field()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX_LENGTH
    )
    file = _attachment_field()


class AsOfForm(forms.Form):
    """«По состоянию на»: the date a dashboard counts outcomes as of (today when not given)."""

    as_of = _date_field(_("По состоянию на"), required=False)

    def date(self, default: datetime.date) -> datetime.date:
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return default


class CheckpointByHandForm(forms.Form):
    """A planned checkpoint staff add or move by hand on the activity page."""

    due = _date_field(_("Срок"))
    label = forms.CharField(
        label=_("Отчётный период"), max_length=100, required=False,
        help_text=_("Например «I квартал 2026»; без него периодом будет сама дата."),
    )  # fmt: skip


class CheckpointReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина возврата"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class PlainSelect(forms.Select):
    """A select drawn in Python rather than with a template per option: a regional coordinator's page has a
    form per indicator, each offering every school the region answers through."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option, " selected" if str(option) in chosen else "", label) for option, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class IndicatorValueForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.none(), widget=PlainSelect
    )
    year = forms.TypedChoiceField(label=_("Год"), coerce=int, widget=PlainSelect)
    value = forms.DecimalField(
        label=_("Фактическое значение"), max_digits=14, decimal_places=2, localize=True
    )
    weight = forms.DecimalField(
        label=_("Численность (база доли)"), max_digits=14, decimal_places=2, min_value=0, localize=True,
        help_text=_("Сколько обучающихся (педагогов…) стоит за долей: по ней доли организаций взвешиваются."),
    )  # fmt: skip

    def __init__(
        self, *args, organizations: list[Organization], years: range, needs_weight: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not needs_weight:
            del self.fields["weight"]
        field = self.fields["organization"]
        # Validation reads the queryset (on POST only); the select is drawn from the loaded list, so a page
        # of many indicators costs no query per form.
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        field.choices = [("", field.empty_label), *((o.pk, str(o)) for o in organizations)]
        self.fields["year"].choices = [(year, year) for year in years]


# --- Roadmap list filter ----------------------------------------------------------------------------


class RoadmapFilter(django_filters.FilterSet):
    """The list's filters. Choices come from the small directory tables (projects, regions), never from
    the visible roadmaps: at national size those selects would list thousands of owners."""

    q = django_filters.CharFilter(label=_("Поиск"), method="filter_search")
    project = django_filters.ModelChoiceFilter(label=_("Проект"), queryset=Project.objects.order_by("name"))
    level = django_filters.ChoiceFilter(label=_("Уровень"), choices=Roadmap.Level.choices)
    status = django_filters.ChoiceFilter(label=_("Статус"), choices=Roadmap.Status.choices)
    year = django_filters.NumberFilter(label=_("Год"), method="filter_year")
    region = django_filters.ModelChoiceFilter(
        label=_("Регион"), field_name="owner__region", queryset=Region.objects.order_by("code")
    )
    owner = django_filters.CharFilter(label=_("Владелец (название)"), method="filter_owner")

    class Meta:
        model = Roadmap
        fields = ["q", "project", "level", "status", "year", "region", "owner"]

    def filter_owner(self, queryset: QuerySet[Roadmap], name: str, value: str) -> QuerySet[Roadmap]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(owner__short_name__icontains=value) | Q(owner__full_name__icontains=value))

    def filter_search(self, queryset: QuerySet[Roadmap], name: str, value: str) -> QuerySet[Roadmap]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(goal__icontains=value) | Q(owner__short_name__icontains=value)
        )

    def filter_year(self, queryset: QuerySet[Roadmap], name: str, value) -> QuerySet[Roadmap]:
        return queryset.filter(year_start__lte=value, year_end__gte=value)


# --- Indicators and their targets -------------------------------------------------------------------


class RuDecimalField(forms.DecimalField):
    """A decimal typed the Russian way: «12,5» as well as «12.5», spaces between thousands allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class IndicatorForm(VersionedFormMixin, forms.Form):
    """An indicator's description and one optional target per year of the roadmap's period."""

    name = forms.CharField(label=_("Наименование показателя"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.CharField(label=_("Единица измерения"), max_length=32, initial="%")
    base_value = RuDecimalField(label=_("Базовое значение"), required=False)
    base_year = forms.IntegerField(label=_("Базовый год"), required=False, min_value=1990, max_value=2100)
    activity = forms.ModelChoiceField(
        label=_("Мероприятие"), queryset=Activity.objects.none(), required=False, empty_label="—"
    )
    aggregation = forms.ChoiceField(
        label=_("Как сводятся значения организаций"),
        choices=[("", _("по единице измерения: доля — среднее, иначе сумма")), *outcomes.AGGREGATIONS],
        required=False,
        help_text=_(
            "Взвешенное среднее: каждая организация вносит с долей численность (базу доли), "
            "и доли взвешиваются по ней. «Не сводится»: итога нет, только значения организаций."
        ),
    )

    def __init__(self, *args, roadmap: Roadmap, indicator: Indicator | None = None, **kwargs):
        self.years = list(range(roadmap.year_start, roadmap.year_end + 1))
        if indicator is not None:
            kwargs["initial"] = {**self.saved_values(indicator), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = roadmap.activities.in_roadmap_order()
        self.fields["activity"].label_from_instance = lambda a: f"{a.number} {a.title[:100]}".strip()
        for year in self.years:
            self.fields[self.target_field(year)] = RuDecimalField(
                label=_("Цель на %(year)s год") % {"year": year}, required=False
            )
        if indicator is not None:
            self.add_version_field(indicator.version)

    def saved_values(self, indicator: Indicator) -> dict[str, object]:
        """What is saved for the indicator, by field name: the form's initial values, and the «сохранено»
        side when a save collides with someone else's."""
        targets = dict(indicator.targets.filter(organization__isnull=True).values_list("year", "value"))
        return {
            "name": indicator.name,
            "unit": indicator.unit,
            "base_value": indicator.base_value,
            "base_year": indicator.base_year,
            "activity": indicator.activity_id,
            "aggregation": indicator.aggregation_applied,
            **{self.target_field(year): targets.get(year) for year in self.years},
        }

    def clean(self) -> dict:
        data = super().clean()
        # Left to the unit: a share is averaged, a count summed — decided here, so the value compared on
        # an edit conflict and the one saved are the same.
        if not data.get("aggregation") and data.get("unit"):
            data["aggregation"] = outcomes.default_aggregation(data["unit"])
        return data

    @staticmethod
    def target_field(year: int) -> str:
        return f"target_{year}"

    def description_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "unit", "aggregation", "base_value", "base_year", "activity")]

    def target_fields(self) -> list[forms.BoundField]:
        return [self[self.target_field(year)] for year in self.years]

    def targets(self) -> dict[int, Decimal | None]:
        """Every year of the period: its target, or None where the field was left empty."""
        return {year: self.cleaned_data.get(self.target_field(year)) for year in self.years}


class OrganizationTargetsForm(VersionedFormMixin, forms.Form):
    """One year's own targets of the organisations listed on an indicator's breakdown (empty: none)."""

    def __init__(self, *args, indicator: Indicator, organizations: list[Organization], year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = [o for o in organizations if o.is_active]
        self.year = year
        for organization in self.organizations:
            self.fields[self.field_name(organization.pk)] = RuDecimalField(
                label=_("Цель: %(name)s") % {"name": organization.short_name}, required=False
            )
        self.add_version_field(indicator.version)

    @staticmethod
    def field_name(organization_id: int) -> str:
        return f"target_{organization_id}"

    def targets(self) -> dict[int, Decimal | None]:
        return {o.pk: self.cleaned_data.get(self.field_name(o.pk)) for o in self.organizations}

    def saved_values(self, saved: dict[int, Decimal]) -> dict[str, object]:
        return {self.field_name(o.pk): saved.get(o.pk) for o in self.organizations}


# --- Closed reporting periods -----------------------------------------------------------------------


class PeriodCloseForm(forms.Form):
    """A reporting period to close: a quarter or a month of a year, or explicit days; its label may be set."""

    KINDS = (("quarter", _("квартал")), ("month", _("месяц")), ("dates", _("даты: с … по …")))
    NEEDED = {"quarter": ("year", "quarter"), "month": ("year", "month"), "dates": ("first_day", "last_day")}

    kind = forms.ChoiceField(label=_("Какой период"), choices=KINDS, initial="quarter")
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Квартал"), choices=[("", "—"), *reporting_periods.QUARTER_NAMES], coerce=int, required=False
    )
    month = forms.TypedChoiceField(
        label=_("Месяц"), choices=[("", "—"), *reporting_periods.MONTH_NAMES], coerce=int, required=False
    )
    first_day = _date_field(_("С"), required=False)
    last_day = _date_field(_("По"), required=False)
    label = forms.CharField(
        label=_("Название периода"),
        max_length=100,
        required=False,
        help_text=_("Если не указать: «I квартал 2025 г.», «март 2025 г.» или даты периода."),
    )

    def clean(self) -> dict:
        data = super().clean()
        for name in self.NEEDED.get(data.get("kind"), ()):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Обязательное поле."))
        return data

    def span(self) -> reporting_periods.Span:
        data = self.cleaned_data
        if data["kind"] == "quarter":
            span = reporting_periods.quarter(data["year"], data["quarter"])
        elif data["kind"] == "month":
            span = reporting_periods.month(data["year"], data["month"])
        else:
            span = reporting_periods.dates(data["first_day"], data["last_day"])
        label = data["label"].strip()
        return reporting_periods.Span(span.first_day, span.last_day, label) if label else span


class ScopePeriodCloseForm(PeriodCloseForm):
    """A period closed for every roadmap owned within an organisation's subtree."""

    organization = forms.ModelChoiceField(
        label=_("Для всей организации"), queryset=Organization.objects.none()
    )
    field_order = ["organization"]

    def __init__(self, *args, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        only = list(organizations[:2])
        if len(only) == 1:
            self.fields["organization"].initial = only[0].pk


class PeriodReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина открытия"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PeriodCheckpointsForm(forms.Form):
    """Checkpoints of a closed period ticked to open («Открыть выбранные») or lock again («Закрыть снова»)."""

    ACTIONS = (("reopen", _("Открыть выбранные")), ("relock", _("Закрыть снова")))

    action = forms.ChoiceField(label=_("Действие"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Причина"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, checkpoints: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoints"] = forms.ModelMultipleChoiceField(
            label=_("Контрольные точки"),
            queryset=checkpoints,
            error_messages={"required": _("Отметьте контрольные точки.")},
        )


# --- Import preview ---------------------------------------------------------------------------------

KEEP_AS_TEXT = ""
CREATE_NEW = "new"


class ImportPreviewForm(forms.Form):
    """What staff correct on the import preview before saving: the passport the document gave or lacked,
    whether the document's act approves it now, and what each unknown organisation spelling stands for.

    `owners` are the organisations the person may import for. `spellings` are groups of responsible
    names taken for one organisation; each group gets one select named `org-<n>`. `candidates` are the
    organisations they may be mapped to, loaded once."""

    title = forms.CharField(label=_("Название дорожной карты"), max_length=1000)
    owner = forms.ModelChoiceField(label=_("Организация-владелец"), queryset=Organization.objects.none())
    year_start = forms.IntegerField(label=_("Год начала"), min_value=2000, max_value=2100)
    year_end = forms.IntegerField(label=_("Год окончания"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Уровень"), choices=Roadmap.Level.choices)
    project = forms.ModelChoiceField(
        label=_("Проект"),
        queryset=Project.objects.order_by("name"),
        required=False,
        empty_label=_("— без проекта —"),
    )
    approve = forms.BooleanField(label=_("Утвердить при импорте"), required=False)

    def __init__(
        self,
        *args,
        owners: QuerySet[Organization],
        spellings: list[list[str]],
        candidates: list[Organization],
        can_approve: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.spellings = spellings
        self.can_approve = can_approve
        self._candidates = {str(o.pk): o for o in candidates}
        choices = [
            (KEEP_AS_TEXT, _("— оставить текстом —")),
            (CREATE_NEW, _("создать новую организацию")),
            *((pk, o.short_name) for pk, o in self._candidates.items()),
        ]
        for index, names in enumerate(spellings):
            self.fields[f"org-{index}"] = forms.ChoiceField(
                label=" / ".join(names), choices=choices, required=False, widget=PlainSelect
            )
        if not can_approve:
            del self.fields["approve"]

    def organization_fields(self) -> list[tuple[list[str], forms.BoundField]]:
        return [(names, self[f"org-{index}"]) for index, names in enumerate(self.spellings)]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("year_start"), data.get("year_end")
        if start and end and start > end:
            self.add_error("year_end", _("Год окончания раньше года начала."))
        return data

    def mapping(self) -> tuple[dict[str, Organization], list[list[str]]]:
        """Spellings mapped to existing organisations, and groups of spellings to create one new
        organisation each for."""
        mapping: dict[str, Organization] = {}
        create: list[list[str]] = []
        for index, names in enumerate(self.spellings):
            choice = self.cleaned_data.get(f"org-{index}", KEEP_AS_TEXT)
            if choice == CREATE_NEW:
                create.append(list(names))
            elif choice in self._candidates:
                mapping.update(dict.fromkeys(names, self._candidates[choice]))
        return mapping, create


# --- The verification queue's filters -------------------------------------------------------------------


class RuDateFilter(django_filters.DateFilter):
    field_class = RuDateField


YES_NO = [("yes", _("да")), ("no", _("нет"))]
QUEUE_STATUSES = [
    (outcomes.REPORTED, _("на проверке")),
    (outcomes.RETURNED, _("возвращено на доработку")),
    (outcomes.DONE, _("принято")),
]
QUEUE_SORTS = [
    ("reported", _("сначала давние отчёты")),
    ("due", _("по сроку")),
    ("organization", _("по организации")),
]


def _yes_no(queryset: QuerySet, value: str, condition: Q) -> QuerySet:
    if value == "yes":
        return queryset.filter(condition)
    if value == "no":
        return queryset.exclude(condition)
    return queryset


def _words_at_start(text: str) -> str:
    """A regular expression finding `text` in a name where it does not run on into more digits or letters
    of the same word: «СОШ № 1» finds «МБОУ СОШ № 1 г. Н» but not «СОШ № 10»."""
    tail = r"([^0-9]|$)" if text[-1].isdigit() else ""
    return re.escape(text) + tail


class VerificationFilter(django_filters.FilterSet):
    """The verification queue's filters and sort. Choices are small lists read once (the roadmaps the person
    verifies, municipalities, a chosen roadmap's sections); an organisation is found by its name, never
    from a select of every school. With no status chosen the queue shows what waits: «на проверке»."""

    roadmap = django_filters.ModelChoiceFilter(
        label=_("Дорожная карта"), field_name="activity__roadmap", queryset=Roadmap.objects.none()
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Раздел"), method="filter_section", queryset=Section.objects.none()
    )
    organization = django_filters.CharFilter(label=_("Организация"), method="filter_organization")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципальное образование"), method="filter_municipality", queryset=None
    )
    year = django_filters.NumberFilter(
        label=_("Год срока"), field_name="planned_due__year", min_value=1990, max_value=2100
    )
    quarter = django_filters.TypedChoiceFilter(
        label=_("Квартал"), choices=reporting_periods.QUARTER_NAMES, coerce=int, method="filter_quarter"
    )
    due_after = RuDateFilter(label=_("Срок с"), field_name="planned_due", lookup_expr="gte")
    due_before = RuDateFilter(label=_("Срок по"), field_name="planned_due", lookup_expr="lte")
    status = django_filters.ChoiceFilter(
        label=_("Статус"), choices=QUEUE_STATUSES, empty_label=None, method="filter_status"
    )
    late = django_filters.ChoiceFilter(label=_("С опозданием"), choices=YES_NO, method="filter_late")
    returned_before = django_filters.ChoiceFilter(
        label=_("Возвращали раньше"), choices=YES_NO, method="filter_returned_before"
    )
    has_evidence = django_filters.ChoiceFilter(
        label=_("Есть документы"), choices=YES_NO, method="filter_has_evidence"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Порядок"), choices=QUEUE_SORTS, empty_label=None, method="filter_sort"
    )

    def __init__(self, data=None, *args, roadmaps: QuerySet[Roadmap], municipalities: QuerySet, **kwargs):
        super().__init__(data, *args, **kwargs)
        fields = self.form.fields
        fields["roadmap"].queryset = roadmaps.only("pk", "title").order_by("title", "pk")
        fields["municipality"].queryset = municipalities.select_related("region").order_by(
            "region__code", "name"
        )
        fields["status"].required = fields["sort"].required = False
        roadmap_id = (data or {}).get("roadmap", "")
        if isinstance(roadmap_id, str) and roadmap_id.isascii() and roadmap_id.isdigit():
            # A section is chosen within a roadmap: without one the select stays empty.
            fields["section"].queryset = Section.objects.filter(
                roadmap_id=int(roadmap_id), roadmap__in=roadmaps
            ).order_by("position", "pk")

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_queue"):
            queryset = super().qs
            data = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
            if not data.get("status"):
                queryset = queryset.filter(status=outcomes.REPORTED)
            if not data.get("sort"):
                queryset = self.filter_sort(queryset, "sort", "reported")
            self._queue = queryset
        return self._queue

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=value or outcomes.REPORTED)

    def filter_section(self, queryset: QuerySet, name: str, value: Section) -> QuerySet:
        # The section and every section nested in it (one query: the roadmap's sections).
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Section.objects.filter(roadmap_id=value.roadmap_id).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent_id, []).append(pk)
        within, todo = set(), [value.pk]
        while todo:
            pk = todo.pop()
            within.add(pk)
            todo.extend(children.get(pk, ()))
        return queryset.filter(activity__section_id__in=within)

    def filter_organization(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        named = Q(organization__short_name__iregex=_words_at_start(value)) | Q(
            organization__full_name__iregex=_words_at_start(value)
        )
        return queryset.filter(activity_id__in=Responsibility.objects.filter(named).values("activity_id"))

    def filter_municipality(self, queryset: QuerySet, name: str, value) -> QuerySet:
        within = Responsibility.objects.filter(organization__municipality=value).values("activity_id")
        return queryset.filter(activity_id__in=within)

    def filter_quarter(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(planned_due__quarter=value)

    def filter_late(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _yes_no(queryset, value, Q(actual_date__gt=F("planned_due")))

    def filter_returned_before(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        returned = CheckpointTransition.objects.filter(status=outcomes.RETURNED).values("checkpoint_id")
        return _yes_no(queryset, value, Q(pk__in=returned))

    def filter_has_evidence(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        current = Evidence.objects.filter(returned_at__isnull=True).values("checkpoint_id")
        return _yes_no(queryset, value, Q(pk__in=current))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "due":
            return queryset.order_by(F("planned_due").asc(nulls_last=True), "pk")
        if value == "organization":
            lead = Responsibility.objects.filter(activity_id=OuterRef("activity_id")).order_by(
                "position", "pk"
            )
            return queryset.annotate(
                lead_name=Subquery(lead.values("organization__short_name")[:1])
            ).order_by(F("lead_name").asc(nulls_last=True), F("reported_at").asc(nulls_last=True), "pk")
        return queryset.order_by(F("reported_at").asc(nulls_last=True), "pk")
