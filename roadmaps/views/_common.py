"""Small helpers shared by the roadmap screens."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

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
