from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.builders import ReportBuilder, ReportScope
from reports.builders.fioko_form import OPTION_ON_REVIEW
from reports.cadence import parse_day_month
from reports.models import ReportFormat, ReportSchedule
from roadmaps.date_fields import RuDateField

DATE_INPUT = ["%d.%m.%Y"]


def scope_choices(options) -> list:
    """«roadmap:ID» for each offered roadmap, «project:PID:RID» for each project owned in a region."""
    single = [
        (f"roadmap:{r.pk}", f"{r.title} ({r.period_display}) — {r.owner.short_name}")
        for r in options.roadmaps
    ]
    choices = [(_("Дорожная карта"), single)]
    if options.groups:
        groups = [(f"project:{p}:{r}", f"{project} — {region}") for p, project, r, region in options.groups]
        choices.append((_("Все дорожные карты проекта в регионе"), groups))
    return choices


def parse_scope(value: str) -> ReportScope:
    kind, *ids = value.split(":")
    numbers = [int(i) for i in ids]
    if kind == "roadmap" and len(numbers) == 1:
        return ReportScope(roadmap_id=numbers[0])
    if kind == "project" and len(numbers) == 2:
        return ReportScope(project_id=numbers[0], region_id=numbers[1])
    raise ValueError(value)


class ReportRequestForm(forms.Form):
    scope = forms.ChoiceField(label=_("Что включить"))
    kind = forms.ChoiceField(label=_("Отчёт"))
    format = forms.ChoiceField(label=_("Формат"), choices=ReportFormat.choices)
    as_of = RuDateField(label=_("По состоянию на (ДД.ММ.ГГГГ)"), input_formats=DATE_INPUT)
    outgoing_number = forms.CharField(label=_("Исходящий номер письма"), max_length=64, required=False)
    outgoing_date = RuDateField(label=_("Дата письма (ДД.ММ.ГГГГ)"), input_formats=DATE_INPUT, required=False)
    include_on_review = forms.BooleanField(
        label=_("Черновик для внутренней проверки: включить ещё не принятые отчёты с пометкой «на проверке»"),
        required=False,
    )

    def __init__(self, *args, scopes, builders: list[ReportBuilder], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.builders = {b.code: b for b in builders}
        self.fields["scope"].choices = scope_choices(scopes)
        self.fields["kind"].choices = [(b.code, b.title) for b in builders]
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["as_of"].widget.format = "%d.%m.%Y"

    def clean(self) -> dict:
        data = super().clean()
        if "scope" in data:
            data["report_scope"] = parse_scope(data["scope"])
        builder = self.builders.get(data.get("kind", ""))
        if builder and data.get("report_scope") and data.get("format"):
            if data["format"] not in builder.formats:
                formats = ", ".join(builder.format_titles)
                self.add_error("format", _("Этот отчёт формируется в форматах: %s.") % formats)
            elif not builder.accepts(data["report_scope"], data["format"]):
                self.add_error("scope", _("Этот отчёт не строится по выбранной области."))
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        options = {}
        if data.get("outgoing_number"):
            options["outgoing_number"] = data["outgoing_number"]
        if data.get("outgoing_date"):
            options["outgoing_date"] = data["outgoing_date"].strftime("%d.%m.%Y")
        if data.get("include_on_review"):
            options[OPTION_ON_REVIEW] = True
        return options


class ReportScheduleForm(forms.Form):
    scope = forms.ChoiceField(label=_("Что включить"))
    kind = forms.ChoiceField(label=_("Отчёт"))
    format = forms.ChoiceField(label=_("Формат"), choices=ReportFormat.choices)
    cadence = forms.ChoiceField(label=_("Периодичность"), choices=ReportSchedule.Cadence.choices)
    day = forms.IntegerField(label=_("День месяца"), min_value=1, max_value=31, initial=1)
    quarter_month = forms.TypedChoiceField(
        label=_("Месяц квартала"),
        coerce=int,
        choices=[(1, _("первый")), (2, _("второй")), (3, _("третий"))],
        initial=3,
    )
    dates = forms.CharField(label=_("Даты (ДД.ММ через запятую)"), required=False)
    recipients = forms.CharField(
        label=_("Получатели (e-mail, по одному на строку)"), widget=forms.Textarea, required=False
    )
    is_active = forms.BooleanField(label=_("Действует"), required=False, initial=True)

    def __init__(self, *args, scopes, builders: list[ReportBuilder], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices(scopes)
        self.fields["kind"].choices = [(b.code, b.title) for b in builders]

    @classmethod
    def initial_from(cls, schedule: ReportSchedule) -> dict:
        scope = (
            f"roadmap:{schedule.roadmap_id}"
            if schedule.roadmap_id
            else f"project:{schedule.project_id}:{schedule.region_id}"
        )
        return {
            "scope": scope,
            "kind": schedule.kind,
            "format": schedule.format,
            "cadence": schedule.cadence,
            "day": schedule.day,
            "quarter_month": schedule.quarter_month,
            "dates": ", ".join(schedule.dates),
            "recipients": schedule.recipients,
            "is_active": schedule.is_active,
        }

    def clean_dates(self) -> list[str]:
        dates = []
        for part in self.cleaned_data["dates"].replace(";", ",").split(","):
            if part.strip():
                try:
                    day, month = parse_day_month(part)
                except ValueError as exc:
                    raise forms.ValidationError(str(exc)) from exc
                dates.append(f"{day:02d}.{month:02d}")
        return dates

    def clean_recipients(self) -> str:
        validator = forms.EmailField()
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()]
        for line in lines:
            validator.clean(line)
        return "\n".join(lines)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        scope = parse_scope(data["scope"])
        return {
            "roadmap_id": scope.roadmap_id,
            "project_id": scope.project_id,
            "region_id": scope.region_id,
            "kind": data["kind"],
            "format": data["format"],
            "cadence": data["cadence"],
            "day": data["day"],
            "quarter_month": data["quarter_month"],
            "dates": data["dates"],
            "recipients": data["recipients"],
            "is_active": data["is_active"],
        }
