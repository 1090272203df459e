from roadmaps.models.activity import Activity, Responsibility, RoadmapParticipant, Section
from roadmaps.models.checkpoint import Checkpoint, CheckpointReopening, CheckpointTransition, Evidence
from roadmaps.models.comment import Comment
from roadmaps.models.indicator import Indicator, IndicatorTarget, IndicatorValue, roadmap_targets
from roadmaps.models.roadmap import (
    ClosedPeriod,
    ImportConfirmation,
    LegalAct,
    Revision,
    RevisionChange,
    Roadmap,
)
from roadmaps.models.snapshot import OutcomeSnapshot
from roadmaps.models.upload import ImportUpload

__all__ = [
    "Activity",
    "Checkpoint",
    "CheckpointReopening",
    "CheckpointTransition",
    "ClosedPeriod",
    "Comment",
    "Evidence",
    "ImportConfirmation",
    "ImportUpload",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "LegalAct",
    "OutcomeSnapshot",
    "Responsibility",
    "Revision",
    "RevisionChange",
    "Roadmap",
    "RoadmapParticipant",
    "Section",
    "roadmap_targets",
]
