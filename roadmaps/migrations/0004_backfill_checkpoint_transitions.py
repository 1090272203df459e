"""Give every checkpoint someone acted on the transitions its columns imply, so reports as of a date
can read them. Where a time is unknown the checkpoint is taken to be in its status since its actual date
(or since long before any report date)."""

import datetime

from django.db import migrations
from django.utils import timezone

LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _day(date):
    if date is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))


def backfill(apps, schema_editor):
    Checkpoint = apps.get_model("roadmaps", "Checkpoint")
    Transition = apps.get_model("roadmaps", "CheckpointTransition")
    rows = []
    acted = Checkpoint.objects.exclude(status="planned").order_by("pk")
    for cp in acted.iterator(chunk_size=2000):
        known = _day(cp.actual_date) or LONG_AGO
        if cp.status == "cancelled":
            rows.append(Transition(checkpoint_id=cp.pk, status="cancelled", at=known))
            continue
        reported_at = cp.reported_at or known
        rows.append(Transition(checkpoint_id=cp.pk, status="reported", at=reported_at, actor_id=cp.reported_by_id))
        if cp.status in ("done", "returned"):
            decided = max(cp.verified_at or reported_at, reported_at)
            rows.append(
                Transition(
                    checkpoint_id=cp.pk, status=cp.status, at=decided, actor_id=cp.verified_by_id,
                    note=cp.return_reason if cp.status == "returned" else "",
                )
            )
        if len(rows) >= 5000:
            Transition.objects.bulk_create(rows)
            rows = []
    Transition.objects.bulk_create(rows)


def forget(apps, schema_editor):
    apps.get_model("roadmaps", "CheckpointTransition").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0003_checkpoint_transitions_evidence_links_data_version")]

    operations = [migrations.RunPython(backfill, forget)]
