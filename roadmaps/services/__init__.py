"""Every write to a roadmap and its parts goes through these functions."""

from roadmaps.services.activities import (
    ConcurrentEditError,
    activity_create,
    activity_delete,
    activity_update,
    responsibility_assign,
    section_create,
    section_update,
    sections_reorder,
)
from roadmaps.services.checkpoints import (
    checkpoint_accept,
    checkpoint_report,
    checkpoint_return,
    evidence_add,
    indicator_value_set,
)
from roadmaps.services.evidence import evidence_public_link_reissue, evidence_public_link_revoke
from roadmaps.services.indicators import indicator_delete, indicator_save
from roadmaps.services.roadmaps import (
    revision_record,
    roadmap_approve,
    roadmap_archive,
    roadmap_create,
    roadmap_update,
)
from roadmaps.services.schedules import activity_sync_checkpoints

__all__ = [
    "ConcurrentEditError",
    "activity_create",
    "activity_delete",
    "activity_sync_checkpoints",
    "activity_update",
    "checkpoint_accept",
    "checkpoint_report",
    "checkpoint_return",
    "evidence_add",
    "evidence_public_link_reissue",
    "evidence_public_link_revoke",
    "indicator_delete",
    "indicator_save",
    "indicator_value_set",
    "responsibility_assign",
    "revision_record",
    "roadmap_approve",
    "roadmap_archive",
    "roadmap_create",
    "roadmap_update",
    "section_create",
    "section_update",
    "sections_reorder",
]
