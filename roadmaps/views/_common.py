"""Small helpers shared by the roadmap screens."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
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


# No one reaches a page past this by clicking; it keeps an offset far inside every database's integers.
MAX_PAGE = 100_000


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """The `?page=` asked for; a page that is not a number («²», «abc») is the first, one past the end
    (a huge number, zero, a negative one) the last — never a 404 or a 500."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def page_number(request: HttpRequest) -> int:
    """`?page=` as a number from 1 to MAX_PAGE, for lists that count no pages: what is not plain ASCII
    digits («²», «-1», «1e3», text) is page 1, a larger number is MAX_PAGE."""
    raw = request.GET.get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    # Python refuses int() of a 4,300-digit string: anything that long is past MAX_PAGE anyway.
    return MAX_PAGE if len(raw) > len(str(MAX_PAGE)) else min(max(int(raw), 1), MAX_PAGE)


def ignored_filters_message(request: HttpRequest, form: forms.Form) -> None:
    """Tell the person which filters of a list were not applied because their values made no sense."""
    if form.is_bound and form.errors:
        labels = ", ".join(str(form.fields[name].label) for name in form.errors if name in form.fields)
        messages.warning(
            request, _("Условия, заданные с ошибкой, не применены: %(fields)s.") % {"fields": labels}
        )


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
