"""Screen-shaped reads. Each selector runs a fixed number of queries whatever the size of what it shows."""

from roadmaps.outcomes import OPEN, OUTCOMES, STATUSES
from roadmaps.selectors.checkpoints import (
    GROUP_TITLES,
    CheckpointGroup,
    attach_checkpoint_details,
    attach_review_reasons,
    checkpoint_row,
    my_checkpoint_counts,
    my_checkpoints,
    my_indicators,
    review_activities,
    review_checkpoints,
    verification_queue,
)
from roadmaps.selectors.dashboard import (
    Dashboard,
    TimelineRow,
    roadmap_dashboard,
    roadmap_timeline,
    scope_dashboard,
)
from roadmaps.selectors.indicators import (
    SORTS as BREAKDOWN_SORTS,
)
from roadmaps.selectors.indicators import (
    Breakdown,
    IndicatorCell,
    IndicatorRow,
    IndicatorTable,
    indicator_breakdown,
    indicator_list,
)
from roadmaps.selectors.roadmaps import (
    HistoryEntry,
    RoadmapPage,
    SectionBlock,
    activity_get_page,
    assignable_organizations,
    revision_changes,
    roadmap_activity_counts,
    roadmap_get_page,
    roadmap_list,
)

__all__ = [
    "BREAKDOWN_SORTS",
    "GROUP_TITLES",
    "OPEN",
    "OUTCOMES",
    "STATUSES",
    "Breakdown",
    "CheckpointGroup",
    "Dashboard",
    "HistoryEntry",
    "IndicatorCell",
    "IndicatorRow",
    "IndicatorTable",
    "RoadmapPage",
    "SectionBlock",
    "TimelineRow",
    "activity_get_page",
    "assignable_organizations",
    "attach_checkpoint_details",
    "attach_review_reasons",
    "checkpoint_row",
    "indicator_breakdown",
    "indicator_list",
    "my_checkpoint_counts",
    "my_checkpoints",
    "my_indicators",
    "review_activities",
    "review_checkpoints",
    "revision_changes",
    "roadmap_activity_counts",
    "roadmap_dashboard",
    "roadmap_get_page",
    "roadmap_list",
    "roadmap_timeline",
    "scope_dashboard",
    "verification_queue",
]
