"""Pre-aggregated checkpoint outcomes per approved roadmap, which the scope dashboard reads.

Counting every checkpoint of every roadmap in a federal analyst's scope takes minutes at national size;
the dashboard reads these rows instead, and a periodic task (roadmaps/tasks.py) keeps them fresh. The
counts are `outcome_groups`' — the same rules, the same SQL — so a snapshot says what the live count
would have said when it was taken.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from roadmaps.models import Checkpoint, OutcomeSnapshot, Roadmap
from roadmaps.outcomes import OutcomeCounts
from roadmaps.selectors.outcomes import outcome_groups

BATCH = 200
Kind = OutcomeSnapshot.Kind


def outcome_snapshots_refresh(
    *, roadmap_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """Recount the approved roadmaps (all, or those of `roadmap_ids`) whose snapshot is missing, was
    counted as of another day, or was taken from another data version; drop the snapshots of roadmaps
    no longer approved. Returns how many roadmaps were recounted.

    A new day recounts everything: overdue moves with the date. Each batch of roadmaps is counted in two
    queries and its rows replaced in one transaction.
    """
    today = today or timezone.localdate()
    roadmaps = Roadmap.objects.all()
    if roadmap_ids is not None:
        roadmaps = roadmaps.filter(pk__in=list(roadmap_ids))
    OutcomeSnapshot.objects.filter(roadmap__in=roadmaps.exclude(status=Roadmap.Status.APPROVED)).delete()
    current = OutcomeSnapshot.objects.filter(
        roadmap=OuterRef("pk"), kind=Kind.ROADMAP, as_of=today, data_version=OuterRef("data_version")
    )
    stale = list(roadmaps.approved().filter(~Exists(current)).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(stale), BATCH):
        _recount(stale[start : start + BATCH], today)
    return len(stale)


def _recount(batch: list[int], today: datetime.date) -> None:
    # The versions (and the time shown as the data's) are read before the counting: a write landing in
    # between leaves an older token beside newer counts, which the next refresh recounts — never the
    # other way round.
    computed_at = timezone.now()
    versions = dict(Roadmap.objects.approved().filter(pk__in=batch).values_list("pk", "data_version"))
    checkpoints = Checkpoint.objects.filter(activity__roadmap_id__in=list(versions))
    roadmap = "activity__roadmap_id"
    totals = outcome_groups(checkpoints, today, fields=(roadmap,))
    by_organization = outcome_groups(
        checkpoints, today, fields=(roadmap, "activity__responsibilities__organization_id")
    )

    def row(roadmap_id: int, kind: str, counts: OutcomeCounts, organization_id: int | None = None):
        return OutcomeSnapshot(
            roadmap_id=roadmap_id,
            kind=kind,
            organization_id=organization_id,
            as_of=today,
            data_version=versions[roadmap_id],
            computed_at=computed_at,
            **{field: getattr(counts, field) for field in OutcomeSnapshot.COUNT_FIELDS},
        )

    rows = [row(pk, Kind.ROADMAP, totals.get((pk,), OutcomeCounts())) for pk in versions]
    rows += [
        row(pk, Kind.ORGANIZATION if org else Kind.UNASSIGNED, counts, org)
        for (pk, org), counts in by_organization.items()
    ]
    with transaction.atomic():
        # Locked only while the rows are swapped, so two refreshes replace one after the other.
        list(Roadmap.objects.select_for_update().filter(pk__in=batch).order_by("pk").values_list("pk"))
        OutcomeSnapshot.objects.filter(roadmap_id__in=batch).delete()
        OutcomeSnapshot.objects.bulk_create(rows, batch_size=1000)
