"""A cheap digest of the report parameters and of the state of the scope's data.

Equal fingerprints mean an earlier file can be handed out again instead of building a new one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db.models import Count, Max

from roadmaps.models import (
    Activity,
    Checkpoint,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Responsibility,
    Roadmap,
    Section,
)


def _data_state(roadmap_ids: list[int]) -> dict[str, Any]:
    historical_activity = Activity.history.model.objects.filter(roadmap_id__in=roadmap_ids)
    activity_ids = historical_activity.values("id")
    indicator_ids = Indicator.objects.filter(roadmap_id__in=roadmap_ids).values("pk")
    # History tables see every edit and deletion (with its time); counts and max ids cover the models
    # that keep no history.
    aggregates = {
        "roadmap": Roadmap.objects.filter(pk__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("updated_at")
        ),
        "activity": historical_activity.aggregate(n=Count("history_id"), last=Max("history_date")),
        "checkpoint": Checkpoint.history.model.objects.filter(activity_id__in=activity_ids).aggregate(
            n=Count("history_id"), last=Max("history_date")
        ),
        "indicator_value": IndicatorValue.history.model.objects.filter(
            indicator_id__in=indicator_ids
        ).aggregate(n=Count("history_id"), last=Max("history_date")),
        "responsibility": Responsibility.objects.filter(activity__roadmap_id__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
        "evidence": Evidence.objects.filter(checkpoint__activity__roadmap_id__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
        "section": Section.objects.filter(roadmap_id__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
        "indicator": Indicator.objects.filter(roadmap_id__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
        "target": IndicatorTarget.objects.filter(indicator__roadmap_id__in=roadmap_ids).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
    }
    return aggregates


def data_fingerprint(
    *,
    kind: str,
    builder_version: int,
    fmt: str,
    roadmap_ids: list[int],
    as_of: datetime.date,
    options: dict[str, Any],
) -> str:
    """sha256 over the parameters and the data state of the roadmaps (nine aggregate queries)."""
    payload = {
        "kind": kind,
        "version": builder_version,
        "format": fmt,
        "roadmaps": sorted(roadmap_ids),
        "as_of": as_of.isoformat(),
        "options": options,
        "data": _data_state(roadmap_ids),
    }
    encoded = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()
