"""Every write to a roadmap and its parts goes through these functions."""

from roadmaps.services._common import ConcurrentEditError
from roadmaps.services.activities import (
    activity_create,
    activity_delete,
    activity_update,
    responsibilities_remove,
    responsibilities_update,
    responsibility_assign,
    responsibility_remove,
    responsibility_update,
    section_create,
    section_update,
    sections_reorder,
)
from roadmaps.services.checkpoints import (
    checkpoint_accept,
    checkpoint_add_by_hand,
    checkpoint_cancel,
    checkpoint_move_by_hand,
    checkpoint_remove_by_hand,
    checkpoint_report,
    checkpoint_restore,
    checkpoint_return,
    evidence_add,
    indicator_value_set,
)
from roadmaps.services.evidence import evidence_public_link_reissue, evidence_public_link_revoke
from roadmaps.services.indicators import indicator_delete, indicator_save
from roadmaps.services.periods import (
    checkpoints_relock,
    checkpoints_reopen,
    period_checkpoints,
    period_close,
    period_reopen,
)
from roadmaps.services.roadmaps import (
    revision_open,
    revision_put_in_force,
    revision_record,
    roadmap_approve,
    roadmap_archive,
    roadmap_create,
    roadmap_unarchive,
    roadmap_update,
)
from roadmaps.services.schedules import activity_sync_checkpoints, schedule_change_preview
from roadmaps.services.snapshots import outcome_snapshots_refresh

__all__ = [
    "ConcurrentEditError",
    "activity_create",
    "activity_delete",
    "activity_sync_checkpoints",
    "activity_update",
    "checkpoint_accept",
    "checkpoint_add_by_hand",
    "checkpoint_cancel",
    "checkpoint_move_by_hand",
    "checkpoint_remove_by_hand",
    "checkpoint_report",
    "checkpoint_restore",
    "checkpoint_return",
    "checkpoints_relock",
    "checkpoints_reopen",
    "evidence_add",
    "evidence_public_link_reissue",
    "evidence_public_link_revoke",
    "indicator_delete",
    "indicator_save",
    "indicator_value_set",
    "outcome_snapshots_refresh",
    "period_checkpoints",
    "period_close",
    "period_reopen",
    "responsibilities_remove",
    "responsibilities_update",
    "responsibility_assign",
    "responsibility_remove",
    "responsibility_update",
    "revision_open",
    "revision_put_in_force",
    "revision_record",
    "roadmap_approve",
    "roadmap_archive",
    "roadmap_create",
    "roadmap_unarchive",
    "roadmap_update",
    "schedule_change_preview",
    "section_create",
    "section_update",
    "sections_reorder",
]
