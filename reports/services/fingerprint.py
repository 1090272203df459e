"""A cheap digest of the report parameters and of the state of the scope's data.

Equal fingerprints mean an earlier file can be handed out again instead of building a new one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db.models import Count, Max, Q

from organizations.models import Organization
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


def _history_state(model, *conditions: Q, **scope) -> dict[str, Any]:
    # A history table sees every edit and deletion, with its time: count and latest change say "unchanged".
    rows = model.history.model.objects.filter(*conditions, **scope)
    return rows.aggregate(n=Count("history_id"), last=Max("history_date"))


def _data_state(roadmap_ids: list[int]) -> dict[str, Any]:
    activity_ids = Activity.history.model.objects.filter(roadmap_id__in=roadmap_ids).values("id")
    checkpoint_ids = Checkpoint.history.model.objects.filter(activity_id__in=activity_ids).values("id")
    indicator_ids = Indicator.history.model.objects.filter(roadmap_id__in=roadmap_ids).values("id")
    responsible_ids = Responsibility.history.model.objects.filter(activity_id__in=activity_ids).values(
        "organization_id"
    )
    owner_ids = Roadmap.objects.filter(pk__in=roadmap_ids).values("owner_id")
    return {
        "roadmap": _history_state(Roadmap, id__in=roadmap_ids),
        "section": _history_state(Section, roadmap_id__in=roadmap_ids),
        "activity": _history_state(Activity, roadmap_id__in=roadmap_ids),
        "responsibility": _history_state(Responsibility, activity_id__in=activity_ids),
        "organization": _history_state(Organization, Q(id__in=responsible_ids) | Q(id__in=owner_ids)),
        "checkpoint": _history_state(Checkpoint, activity_id__in=activity_ids),
        "evidence": _history_state(Evidence, checkpoint_id__in=checkpoint_ids),
        "indicator": _history_state(Indicator, roadmap_id__in=roadmap_ids),
        "target": _history_state(IndicatorTarget, indicator_id__in=indicator_ids),
        "indicator_value": _history_state(IndicatorValue, indicator_id__in=indicator_ids),
    }


def data_fingerprint(
    *,
    kind: str,
    builder_version: int,
    fmt: str,
    roadmap_ids: list[int],
    as_of: datetime.date,
    options: dict[str, Any],
) -> str:
    """sha256 over the parameters and the data state of the roadmaps (ten aggregate queries)."""
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
