"""The form's bulk row writer must produce exactly what openpyxl's own cell-by-cell path produces."""

import datetime
import zipfile

import pytest
from lxml import etree

from reports.builders import BuildRequest, ReportScope, _xlsx
from reports.builders.fioko_form import write_form
from roadmaps.models import Checkpoint
from tests import factories
from tests.reports.conftest import add_activities


def _members(path) -> dict[str, bytes]:
    members = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name == "docProps/core.xml":  # creation timestamps
                continue
            data = archive.read(name)
            if name.endswith((".xml", ".rels")):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            members[name] = data
    return members


def _both_ways(tmp_path, monkeypatch, roadmap) -> tuple[dict, dict]:
    request = BuildRequest(
        scope=ReportScope(roadmap_id=roadmap.pk),
        roadmap_ids=[roadmap.pk],
        as_of=datetime.date(2025, 4, 1),
        format="xlsx",
    )
    write_form(request, tmp_path / "fast.xlsx")
    monkeypatch.setattr(_xlsx, "LXML", False)  # forces TextRows onto openpyxl's WriteOnlyCell path
    write_form(request, tmp_path / "cells.xlsx")
    return _members(tmp_path / "fast.xlsx"), _members(tmp_path / "cells.xlsx")


@pytest.mark.django_db
def test_fast_rows_write_the_same_file_as_openpyxl_cells_for_awkward_text(filled, tmp_path, monkeypatch):
    roadmap = filled.roadmap
    awkward = factories.ActivityFactory(
        roadmap=roadmap,
        number="3.",
        title="  a & b <c> ]]> \r\n tab\t\x01end  ",
        goal_and_tasks="#N/A",
        place_and_format="=1+1",
        target_audience="\x0b",
        links="x" * 40000,
        comment=" ",
        deadline_text="&amp;",
    )
    checkpoint = factories.CheckpointFactory(
        activity=awkward, status=Checkpoint.Status.REPORTED, actual_text="март", result="=SUM(A1)"
    )
    factories.EvidenceFactory(checkpoint=checkpoint, url="", file="evidence/x.pdf", original_name="акт.pdf")
    add_activities(roadmap, 120, start=10)  # more than one block of rows

    fast, cells = _both_ways(tmp_path, monkeypatch, roadmap)

    assert fast.keys() == cells.keys()
    for name in fast:
        assert fast[name] == cells[name], name
    assert b"tab" in fast["xl/worksheets/sheet1.xml"]
