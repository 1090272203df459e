"""Small helpers shared by the roadmap screens."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from organizations.scope import Scope, user_scope

PAGE_SIZE = 25


def today() -> datetime.date:
    return timezone.localdate()


def scope_of(request: HttpRequest) -> Scope:
    return user_scope(request.user)


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, otherwise on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- The 409 answer to an edit saved on top of someone else's -----------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    name: str
    label: str
    saved: str
    typed: str


@dataclass(frozen=True)
class EditConflict:
    """What templates/roadmaps/partials/edit_conflict.html shows above the form."""

    noun: str
    version: int
    rows: list[ConflictRow]


def _comparable(value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    return "" if value is None else value


def _shown(field: forms.Field, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        with contextlib.suppress(ValidationError):  # no longer on offer: show the id
            value = field.to_python(value)
    elif isinstance(field, forms.ChoiceField):
        value = dict(field.choices).get(value, value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return formats.number_format(value)
    return str(value)


def edit_conflict_response(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    form: forms.Form,
    current: models.Model,
    fields: Iterable[str],
    noun: str,
    saved: Mapping[str, object] | None = None,
) -> HttpResponse:
    """Answer 409 to an edit someone else's save overtook: what they saved beside what this person typed.

    The typed values stay in the form, which now carries the current version, so saving again after
    seeing the other change is deliberate and goes through. `saved` stands in for reading the fields off
    `current` where the form's fields are not the model's (an indicator's yearly targets). `noun` names
    the object in the accusative: «мероприятие», «раздел».
    """
    typed = getattr(form, "cleaned_data", {})
    rows = []
    for name in fields:
        field = form.fields[name]
        kept = saved[name] if saved is not None else getattr(current, name)
        if _comparable(kept) != _comparable(typed.get(name)):
            rows.append(
                ConflictRow(name, str(field.label), _shown(field, kept), _shown(field, typed.get(name)))
            )
    form.data = form.data.copy()
    form.data["version"] = str(current.version)
    form.add_error(
        None,
        _(
            "Пока вы редактировали, %(what)s изменил другой пользователь. "
            "Сравните значения и сохраните ещё раз."
        )
        % {"what": noun},
    )
    conflict = EditConflict(noun=str(noun), version=current.version, rows=rows)
    return render(request, template, {**context, "form": form, "conflict": conflict}, status=409)
