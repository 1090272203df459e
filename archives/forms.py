from django import forms

from archives.rules import archive_organizations


class RegionArchiveRequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Организация",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Выберите организацию.", "invalid_choice": "Выберите свою организацию."},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = archive_organizations(user).order_by("short_name")
