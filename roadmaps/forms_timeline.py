"""The timeline's filters (roadmaps/views/timeline.py): a section and a responsible organisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roadmaps.selectors.timeline import TimelineOptions

# Non-breaking spaces indent a subsection under its heading inside a <select>.
_INDENT = "\u00a0\u00a0\u00a0"


class TimelineFilterForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Раздел"), coerce=int, required=False, empty_value=None)
    organization = forms.TypedChoiceField(
        label=_("Ответственная организация"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, options: TimelineOptions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            ("", _("Все разделы")),
            *(
                (section.pk, _INDENT * level + f"{section.number} {section.title}".strip()[:120])
                for section, level, _children in options.sections
            ),
        ]
        self.fields["organization"].choices = [("", _("Все организации")), *options.organizations]

    def filters(self) -> dict[str, int | None]:
        """The valid choices; a value that is not one of the roadmap's is left out (and said on the form)."""
        if not self.is_bound:
            return {"section_id": None, "organization_id": None}
        self.is_valid()
        return {
            "section_id": self.cleaned_data.get("section"),
            "organization_id": self.cleaned_data.get("organization"),
        }
