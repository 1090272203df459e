"""Roadmap screens, one module per screen family."""

from roadmaps.views.coordinator import (
    checkpoint_report,
    evidence_download,
    indicator_value_set,
    my_checkpoints,
)
from roadmaps.views.dashboard import roadmap_dashboard, roadmap_timeline, scope_dashboard
from roadmaps.views.evidence import evidence_link_reissue, evidence_link_revoke, evidence_public
from roadmaps.views.indicators import (
    indicator_create,
    indicator_delete,
    indicator_list,
    indicator_update,
)
from roadmaps.views.roadmaps import (
    RoadmapCreateView,
    RoadmapListView,
    RoadmapUpdateView,
    review_list,
    revision_create,
    roadmap_approve,
    roadmap_archive,
    roadmap_detail,
)
from roadmaps.views.structure import (
    activity_create,
    activity_delete,
    activity_detail,
    activity_update,
    responsibility_assign,
    section_create,
    section_update,
    sections_reorder,
)
from roadmaps.views.verification import checkpoint_accept, checkpoint_return, verification_queue

__all__ = [
    "RoadmapCreateView",
    "RoadmapListView",
    "RoadmapUpdateView",
    "activity_create",
    "activity_delete",
    "activity_detail",
    "activity_update",
    "checkpoint_accept",
    "checkpoint_report",
    "checkpoint_return",
    "evidence_download",
    "evidence_link_reissue",
    "evidence_link_revoke",
    "evidence_public",
    "indicator_create",
    "indicator_delete",
    "indicator_list",
    "indicator_update",
    "indicator_value_set",
    "my_checkpoints",
    "responsibility_assign",
    "review_list",
    "revision_create",
    "roadmap_approve",
    "roadmap_archive",
    "roadmap_dashboard",
    "roadmap_detail",
    "roadmap_timeline",
    "scope_dashboard",
    "section_create",
    "section_update",
    "sections_reorder",
    "verification_queue",
]
