from django.db import models


def save_with_history(instance: models.Model, *, actor, update_fields: list[str] | None = None) -> None:
    """Validate and save, recording the actor in django-simple-history (outside a request too)."""
    instance.full_clean()
    instance._history_user = actor
    instance.save(update_fields=update_fields)
