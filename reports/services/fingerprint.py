"""A cheap digest of the report parameters and of the state of the scope's data.

Equal fingerprints mean an earlier file can be handed out again instead of building a new one.

The data part is each roadmap's ``data_version``: a fresh random token written by every write to the roadmap
or anything its reports read — receivers for single saves and deletes, an explicit call after every bulk
write (roadmaps/data_version.py). It replaces aggregates over the django-simple-history tables, which bulk
writes (a section reorder, a schedule regeneration, an import) leave untouched, so a stale file was reused.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from roadmaps.models import Roadmap


def _data_versions(roadmap_ids: list[int]) -> list[list]:
    rows = Roadmap.objects.filter(pk__in=roadmap_ids).order_by("pk").values_list("pk", "data_version")
    return [[pk, version] for pk, version in rows]


def data_fingerprint(
    *,
    kind: str,
    builder_version: int,
    fmt: str,
    roadmap_ids: list[int],
    as_of: datetime.date,
    options: dict[str, Any],
) -> str:
    """sha256 over the parameters and the roadmaps' (id, data version) pairs (one query)."""
    payload = {
        "kind": kind,
        "version": builder_version,
        "format": fmt,
        "roadmaps": sorted(roadmap_ids),
        "as_of": as_of.isoformat(),
        "options": options,
        "data": _data_versions(roadmap_ids),
    }
    encoded = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()
