"""Seed 003 is a real filled federal coordinator's form: imported, verified and exported, it comes back."""

import datetime

import openpyxl
import pytest

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
        as_of=datetime.date(2021, 12, 31),
        format="xlsx",
    )
    get_builder("fioko_form").build(request, out)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True))

    assert len(rows) == 38 == len(parsed.activities)
    assert rows[0][:2] == ("70", "Томская область")
    for row, activity in zip(rows, parsed.activities, strict=True):
        title, planned, actual, result = row[2], row[5], row[6], row[7] or ""
        assert title == activity.title
        assert (planned or "") == activity.deadline_text
        assert (actual or "") == (activity.actual_text or ("выполнено" if activity.done else ""))
        if activity.actual_text or activity.done:
            assert result.endswith("(выполнено)")
