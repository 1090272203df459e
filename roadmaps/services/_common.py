from django.db import models


def save_with_history(
    instance: models.Model, *, actor, update_fields: list[str] | None = None, reason: str = ""
) -> None:
    """Validate and save, recording the actor (and why, when given) in django-simple-history."""
    instance.full_clean()
    instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]
    instance.save(update_fields=update_fields)
