from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from roadmaps.date_fields import RuDateField


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Назначение", max_length=100, help_text="Например: «Региональный портал образования»."
    )
    expires_on = RuDateField(label="Действует до (ДД.ММ.ГГГГ)", required=False)
    read_only = forms.BooleanField(label="Только чтение", required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        default = timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
        self.fields[
            "expires_on"
        ].help_text = f"Пусто — {default:%d.%m.%Y} (год); не больше {settings.API_TOKEN_MAX_DAYS} дней."
