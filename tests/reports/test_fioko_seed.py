"""Seed 003 is a real filled federal coordinator's form: imported, verified and exported, it comes back."""

import openpyxl
import pytest
from django.db.models import Count
from django.utils import timezone

from reports.builders import BuildRequest, ReportScope, get_builder
from roadmaps import services
from roadmaps.importing import parse_file
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Checkpoint

pytestmark = pytest.mark.django_db


def test_form_rebuilt_from_imported_seed_003_has_its_38_activities_with_their_dates(
    seeds_dir, world, tmp_path
):
    path = next(seeds_dir.glob("003_*.txt"))
    parsed = parse_file(path.read_bytes(), path.name)
    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)
    for checkpoint in Checkpoint.objects.filter(activity__roadmap=roadmap, status=Checkpoint.Status.REPORTED):
        services.checkpoint_accept(actor=world.staff, checkpoint=checkpoint)

    out = tmp_path / "form.xlsx"
    request = BuildRequest(
        scope=ReportScope(roadmap_id=roadmap.pk),
        roadmap_ids=[roadmap.pk],
        # The document's facts reach the portal (and are accepted) today: a form as of 2021 predates them.
        as_of=timezone.localdate(),
        format="xlsx",
    )
    get_builder("fioko_form").build(request, out)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True))

    assert len(rows) == 38 == len(parsed.activities)
    assert all(row[:2] == ("70", "Томская область") for row in rows)
    checkpoint_counts = dict(
        roadmap.activities.annotate(n=Count("checkpoints")).order_by("sort_key").values_list("title", "n")
    )
    marked = 0
    for row, activity in zip(rows, parsed.activities, strict=True):
        title, planned, actual, result = row[2], row[5], row[6], row[7] or ""
        assert title == activity.title
        assert (planned or "") == activity.deadline_text
        assert (actual or "") == (activity.actual_text or ("выполнено" if activity.done else ""))
        # «(выполнено)» needs every due checkpoint accepted: true where the deadline is one date.
        if (activity.actual_text or activity.done) and checkpoint_counts[activity.title] == 1:
            assert result.endswith("(выполнено)")
            marked += 1
    assert marked >= 20
