"""Forms of projects and participants; they validate what was typed, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Region
from projects.models import Project
from projects.rules import project_regions
from projects.selectors import curator_organizations_for, curator_people_for, projects_visible_to
from projects.services import PROJECT_FIELDS


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name and obj.email else name or obj.get_username()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            projects_visible_to(user).exclude(pk=self.instance.pk).order_by("name")
        )
        self.fields["coordinator"].queryset = curator_organizations_for(user=user)
        self.fields["coordinator"].label = _("Координатор (организация)")
        if not user.is_superuser:
            self.fields["level"].choices = [(Project.Level.REGIONAL, Project.Level.REGIONAL.label)]
            self.fields["region"].queryset = Region.objects.filter(pk__in=project_regions(user))
            self.fields["region"].required = True
            self.fields["region"].empty_label = None

    def _post_clean(self) -> None:
        # The model's checks run in the service's full_clean, on the row it locks.
        pass


class _CuratorFields(forms.Form):
    curator = forms.ModelChoiceField(
        label=_("Куратор (организация)"), queryset=Organization.objects.none(), required=False
    )
    curator_user = _PersonChoiceField(
        label=_("Куратор (сотрудник)"), queryset=None, required=False,
        help_text=_("Человек с членством в организации-кураторе (или в организации вашей области доступа)."),
    )  # fmt: skip
    curator_name = forms.CharField(
        label=_("Куратор (Ф.И.О. текстом)"), max_length=200, required=False,
        help_text=_("Для кураторов без учётной записи в портале."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curator_organizations_for(user=user)
        self.fields["curator_user"].queryset = curator_people_for(user=user)


class ParticipantsAddForm(_CuratorFields):
    organizations = forms.CharField(
        label=_("Организации"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("ИНН или наименование (краткое или полное), по одной организации на строку."),
    )
    field_order = ["organizations", "curator", "curator_user", "curator_name"]


class ParticipantForm(_CuratorFields):
    note = forms.CharField(label=_("Примечание"), max_length=500, required=False)


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Наименование или ИНН"), max_length=200, required=False)
    municipality = forms.TypedChoiceField(label=_("Муниципальное образование"), coerce=int, required=False,
                                          empty_value=None)  # fmt: skip
    curator = forms.ChoiceField(label=_("Куратор"), required=False)

    def __init__(self, *args, municipalities, curators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("все")), *municipalities]
        self.fields["curator"].choices = [("", _("все")), ("none", _("без куратора")), *curators]
