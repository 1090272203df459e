"""Forms of the organisation directory; they validate what was typed, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Municipality, Organization
from organizations.services import EDITABLE_FIELDS
from roadmaps.forms import VersionedFormMixin


class OrganizationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS

    spellings = forms.CharField(
        label=_("Другие написания"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("По одному на строку: по ним импорт дорожных карт узнаёт организацию."),
    )

    def __init__(self, *args, region_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region_id=region_id)
        if self.instance.pk:
            self.add_version_field(self.instance.version)
            spellings = self.instance.known_spellings.order_by("spelling").values_list("spelling", flat=True)
            self.initial.setdefault("spellings", "\n".join(spellings))

    def clean_spellings(self) -> list[str] | None:
        """The lines typed; None when the request had no such field (the spellings are then left alone)."""
        if self.add_prefix("spellings") not in self.data:
            return None
        return [line.strip() for line in self.cleaned_data["spellings"].splitlines() if line.strip()]

    def _post_clean(self) -> None:
        # The model's own checks run in the service (full_clean there), on the row it locks; running them
        # here too would check a half-filled instance without its parent.
        pass


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label=_("Наименование или ИНН"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("все виды")), *Organization.Kind.choices], required=False
    )
    inactive = forms.BooleanField(label=_("показать недействующие"), required=False)


class OrganizationMoveForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Новая вышестоящая организация"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = targets


class OnboardingUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл Excel (.xlsx)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
