from roadmaps.models.activity import Activity, Responsibility, Section
from roadmaps.models.checkpoint import Checkpoint, CheckpointTransition, Evidence
from roadmaps.models.indicator import Indicator, IndicatorTarget, IndicatorValue
from roadmaps.models.roadmap import LegalAct, Revision, Roadmap

__all__ = [
    "Activity",
    "Checkpoint",
    "CheckpointTransition",
    "Evidence",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "LegalAct",
    "Responsibility",
    "Revision",
    "Roadmap",
    "Section",
]
