"""Messages in the thread of a checkpoint (school and department) or of an activity (the department)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from organizations.models import Membership, Organization
from roadmaps.evidence_files import check_evidence_file
from roadmaps.models import Activity, Checkpoint, Comment
from roadmaps.services import lifecycle, notices
from roadmaps.services._common import save_with_history

COMMENT_MAX_LENGTH = 5000


def _author_organization(actor, paths: list[str]) -> Organization | None:
    """The author's organisation that reaches the thread: the nearest one above any of `paths`."""
    memberships = Membership.objects.filter(user=actor).select_related("organization")
    reaching = [m.organization for m in memberships if any(p.startswith(m.organization.path) for p in paths)]
    return max(reaching, key=lambda organization: len(organization.path), default=None)


@transaction.atomic
def comment_add(
    *,
    actor,
    text: str,
    checkpoint: Checkpoint | None = None,
    activity: Activity | None = None,
    file: UploadedFile | None = None,
) -> Comment:
    """Append a message to a thread; the caller has checked that the actor may see it."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Напишите сообщение."})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": f"Сообщение длиннее {COMMENT_MAX_LENGTH} знаков ({len(text)}); сократите его."}
        )
    target_activity = checkpoint.activity if checkpoint is not None else activity
    lifecycle.require_not_archived(target_activity.roadmap)
    paths = [target_activity.roadmap.owner.path]
    if checkpoint is not None:
        paths += list(target_activity.responsibilities.values_list("organization__path", flat=True))
    comment = Comment(
        checkpoint=checkpoint,
        activity=None if checkpoint is not None else activity,
        author=actor,
        organization=_author_organization(actor, paths),
        text=text,
    )
    if file is not None:
        comment.content_type = check_evidence_file(file)
        comment.original_name = file.name[:255]
        comment.size = file.size
        comment.file.save(file.name, file, save=False)
    save_with_history(comment, actor=actor, trusted=("checkpoint", "activity", "author", "organization"))
    notices.comment_posted(comment=comment)
    return comment
