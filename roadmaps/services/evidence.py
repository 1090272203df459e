"""Public links to evidence files: staff revoke a leaked link and issue a new one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from roadmaps.models import Evidence
from roadmaps.services._common import save_with_history


def _require_file(evidence: Evidence) -> None:
    if not evidence.file:
        raise ValidationError("У подтверждения нет файла: публичной ссылки на него не бывает.")


@transaction.atomic
def evidence_public_link_revoke(*, actor, evidence: Evidence) -> Evidence:
    """Stop serving the file by its public link until staff issue a new one."""
    _require_file(evidence)
    if evidence.public_link_revoked_at is None:
        evidence.public_link_revoked_at = timezone.now()
        save_with_history(evidence, actor=actor, update_fields=["public_link_revoked_at"])
    return evidence


@transaction.atomic
def evidence_public_link_reissue(*, actor, evidence: Evidence) -> Evidence:
    """Serve the file by a new public link; every link issued before, leaked or revoked, stays dead."""
    _require_file(evidence)
    # Under the row lock: two simultaneous re-issues give two versions, never the same one twice.
    evidence.public_link_version = (
        Evidence.objects.select_for_update().values_list("public_link_version", flat=True).get(pk=evidence.pk)
        + 1
    )
    evidence.public_link_revoked_at = None
    save_with_history(evidence, actor=actor, update_fields=["public_link_revoked_at", "public_link_version"])
    return evidence
