"""Forms of bringing a roadmap's edited .xlsx back as an update (roadmaps/views/updating.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roadmaps.importing.limits import too_big


class UpdateUploadForm(forms.Form):
    document = forms.FileField(label=_("Файл дорожной карты (.xlsx, выгруженный с портала и изменённый)"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(too_big(settings.UPLOAD_MAX_BYTES))
        return document


class UpdateConfirmForm(forms.Form):
    # The fingerprint of the activities the preview was worked out against (services/updating.py).
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_removals = forms.BooleanField(label=_("Да, удалить эти мероприятия"), required=False)
