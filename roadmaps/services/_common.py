"""What every roadmap service shares: saving with history, and the optimistic lock on edit forms."""

from __future__ import annotations

import re
from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class ConcurrentEditError(Exception):
    """Someone else saved the object after this editor opened it; `current` is what they saved."""

    def __init__(self, current: models.Model):
        meta = current._meta
        super().__init__(
            f"{meta.verbose_name} #{current.pk}: другой пользователь сохранил версию {current.version}."
        )
        self.current = current


def save_with_history(
    instance: models.Model,
    *,
    actor,
    update_fields: list[str] | None = None,
    reason: str = "",
    trusted: tuple[str, ...] = (),
) -> None:
    """Validate and save, recording the actor (and why, when given) in django-simple-history.

    `trusted` names fields the caller did not take from a person (a foreign key to a row it holds, say):
    they are not checked again, and with any given the model's constraints are left to the database —
    each check costs a query, and only a service that sets every constrained value itself passes them.
    """
    instance.full_clean(exclude=trusted or None, validate_constraints=not trusted)
    instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]
    instance.save(update_fields=update_fields)


def _version_number(value: object) -> int | None:
    """The version a form came back with, or None when it is missing, garbled, zero or negative."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value, flags=re.ASCII):
        number = int(value)
    else:
        return None
    return number if number > 0 else None


def lock_for_edit(queryset: models.QuerySet[M], *, pk: int, expected_version: object) -> M:
    """Re-read the row under a lock and refuse the edit unless it was made on top of its current version.

    An expected version that is None, empty, zero, negative or not a number is stale, never "skip the
    check": versions start at 1. Returns the locked row with its version already bumped for the save.
    """
    current = queryset.select_for_update().get(pk=pk)
    if _version_number(expected_version) != current.version:
        raise ConcurrentEditError(current)
    current.version += 1  # the row is locked, so a plain increment cannot race
    return current
