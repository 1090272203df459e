"""The portal's one date field: typed as ДД.ММ.ГГГГ, and a date that does not exist is refused with why.

«31.11.2026: в ноябре 30 дней» instead of «Введите дату в виде ДД.ММ.ГГГГ» — the reason comes from the
deadline parser's own check (roadmaps.deadlines.no_such_date), so forms and deadlines say it alike.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roadmaps.deadlines import no_such_date

DATE_PLACEHOLDER = "ДД.ММ.ГГГГ"
_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", re.ASCII)


class RuDateInput(forms.DateInput):
    """A text input (not the browser's date picker) so dates are typed and shown as ДД.ММ.ГГГГ."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        super().__init__(
            attrs={
                "placeholder": DATE_PLACEHOLDER,
                "inputmode": "numeric",
                "autocomplete": "off",
                **(attrs or {}),
            },
            format="%d.%m.%Y",
        )


class RuDateField(forms.DateField):
    widget = RuDateInput
    default_error_messages = {"invalid": _("Введите дату в виде ДД.ММ.ГГГГ.")}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            written = _DAY_MONTH_YEAR.fullmatch(value) if isinstance(value, str) else None
            if written and (reason := no_such_date(*map(int, written.groups()))):
                raise ValidationError(
                    _("%(date)s: %(reason)s."),
                    code="no_such_date",
                    params={"date": value.strip(), "reason": reason},
                ) from None
            raise
