"""The roadmap's official documents: the approved form as a real .docx (reopened with python-docx and read
back by the importer) and a real PDF (checked with poppler's pdftotext, pdfinfo and pdftoppm), and the names
the downloads get."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.exporting import roadmap_export
from roadmaps.importing import parse_file
from roadmaps.models import Revision, Roadmap
from tests import factories

TITLE = "План мероприятий («дорожная карта») по реализации проекта «500+» на 2026 год"
APPROVAL = "приказом департамента общего образования Томской области от 15.01.2026 № 12"
AMENDMENT = "(в ред. распоряжения министерства образования от 02.03.2026 № 45-р)"

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def official_roadmap(world, *, activities: int = 3) -> Roadmap:
    """An approved roadmap amended once: a numbered section, activities «1.1.»…, targets 30.00 and 55.50."""
    act = factories.LegalActFactory(
        kind="order",
        number="12",
        date=datetime.date(2026, 1, 15),
        issuer="Департамент общего образования Томской области",
    )
    roadmap = factories.RoadmapFactory(
        owner=world.region_org,
        title=TITLE,
        year_start=2026,
        year_end=2027,
        approved_by_act=act,
        edition=False,
    )
    amendment = factories.LegalActFactory(
        kind="directive", number="45-р", date=datetime.date(2026, 3, 2), issuer="Министерство образования"
    )
    Revision.objects.create(roadmap=roadmap, act=amendment, date=amendment.date, summary="Сроки")
    section = factories.SectionFactory(roadmap=roadmap, number="1.", title="Организационные мероприятия")
    for index in range(activities):
        activity = factories.ActivityFactory(
            roadmap=roadmap,
            section=section,
            number=f"1.{index + 1}.",
            title=f"Проведение семинара для педагогов общеобразовательных организаций № {index + 1}",
            deadline_text="Март 2026 года",
            planned_result="Проведён семинар, подготовлена аналитическая справка",
        )
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
    indicator = factories.IndicatorFactory(
        roadmap=roadmap,
        activity=roadmap.activities.order_by("sort_key").first(),
        name="Доля педагогов",
        unit="%",
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2026, value=Decimal("30.00"))
    factories.IndicatorTargetFactory(indicator=indicator, year=2027, value=Decimal("55.50"))
    return roadmap


def _docx(roadmap: Roadmap):
    from docx import Document

    return Document(io.BytesIO(roadmap_export(roadmap, "docx")))


def _cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_docx_is_a4_landscape_with_the_approval_block_at_the_top_right_and_a_bold_title(world):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = _docx(official_roadmap(world))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (297, 210)
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["УТВЕРЖДЕНА", APPROVAL, AMENDMENT]
    approval = document.paragraphs[0]
    assert approval.paragraph_format.left_indent > section.page_width / 2  # the right half of the page
    title = next(p for p in document.paragraphs if p.text == TITLE)
    assert title.runs and all(run.bold for run in title.runs)
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert section.footer.paragraphs[0].text.startswith("Страница ")


def test_the_docx_header_row_is_bold_and_repeated_on_every_page(world):
    from docx.oxml.ns import qn

    table = _docx(official_roadmap(world)).tables[0]

    header = table.rows[0]
    marks = header._tr.trPr.findall(qn("w:tblHeader")) if header._tr.trPr is not None else []
    assert [mark.get(qn("w:val")) for mark in marks] == ["true"]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert [cell.text for cell in header.cells][:3] == ["№", "Мероприятие", "Сроки"]
    # only the header row repeats
    assert all(row._tr.trPr is None or not row._tr.trPr.findall(qn("w:tblHeader")) for row in table.rows[1:])


def test_the_docx_merges_section_rows_and_keeps_numbers_as_written_with_decimal_commas(world):
    table = _docx(official_roadmap(world)).tables[0]

    section_row = table.rows[1]
    assert len({id(cell._tc) for cell in section_row.cells}) == 1  # one cell across the table
    assert section_row.cells[0].text == "1. Организационные мероприятия"
    assert all(run.bold for run in section_row.cells[0].paragraphs[0].runs)
    rows = _cell_texts(table)
    assert [row[0] for row in rows[2:]] == ["1.1.", "1.2.", "1.3."]
    assert not any("1.." in text for row in rows for text in row)
    targets = next(text for text in rows[2] if "Доля педагогов" in text)
    assert targets == "Доля педагогов [%]: 2026 — 30; 2027 — 55,5"


def test_the_official_docx_imports_back_with_its_act_amendment_numbers_and_targets(world):
    roadmap = official_roadmap(world)

    again = parse_file(roadmap_export(roadmap, "docx"), "roadmap.docx")

    assert again.title == TITLE
    act = again.approving_act
    assert (act.kind, act.number, act.date) == ("приказ", "12", datetime.date(2026, 1, 15))
    assert act.issuer == "департамента общего образования Томской области"
    assert [(r.kind, r.number) for r in again.revisions] == [("распоряжение", "45-р")]
    assert [s.number for s in again.sections] == ["1"]
    assert [a.number_as_written for a in again.activities] == ["1.1.", "1.2.", "1.3."]
    indicator = again.activities[0].indicators[0]
    assert indicator.targets == {2026: Decimal("30"), 2027: Decimal("55.5")}


def _pdf_text(path: Path, *pages: int) -> str:
    options = [] if not pages else ["-f", str(pages[0]), "-l", str(pages[-1])]
    result = subprocess.run(
        ["pdftotext", "-layout", *options, str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def _pdf_info(path: Path) -> dict[str, str]:
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)


@needs_poppler
def test_the_pdf_is_a4_landscape_with_the_approval_block_numbers_commas_and_page_numbers(world, tmp_path):
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(roadmap_export(official_roadmap(world), "pdf"))

    info = _pdf_info(path)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    first = _pdf_text(path, 1)
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert lines[0] == "УТВЕРЖДЕНА"
    assert "приказом департамента общего образования" in first and "от 15.01.2026 № 12" in first
    assert "(в ред. распоряжения министерства" in first
    # the approval block is on the right: its lines start past the middle of the page's text
    assert first.splitlines()[0].index("УТВЕРЖДЕНА") > 60
    assert "1. Организационные мероприятия" in first and "1.1." in first and "1.." not in first
    # the targets cell wraps: «Доля педагогов [%]: 2026 / — 30; 2027 — 55,5»
    assert "— 30; 2027 — 55,5" in first and "55.5" not in first and "30.00" not in first
    assert f"Страница 1 из {info['Pages'].strip()}" in first

    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    from PIL import Image

    with Image.open(next(tmp_path.glob("page*.png"))) as image:
        assert image.width > image.height


@needs_poppler
def test_a_long_roadmaps_pdf_repeats_the_header_row_on_the_next_page(world, tmp_path):
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(roadmap_export(official_roadmap(world, activities=40), "pdf"))

    pages = int(_pdf_info(path)["Pages"])
    assert pages >= 2
    second = _pdf_text(path, 2)
    header = " ".join([line for line in second.splitlines() if line.strip()][:3])  # it wraps
    assert "№" in header and "Мероприятие" in header and "Сроки" in header
    assert f"Страница 2 из {pages}" in second
    assert "УТВЕРЖДЕНА" not in second


def _download_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    return unquote(disposition.split("''", 1)[1])


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
def test_a_roadmap_download_is_named_by_its_title_period_and_the_day(client, world, file_format):
    roadmap = official_roadmap(world, activities=1)
    client.force_login(world.analyst)

    response = client.get(reverse("roadmaps:roadmap-download", args=[roadmap.pk, file_format]))

    assert response.status_code == 200
    today = timezone.localdate().strftime("%d.%m.%Y")
    expected = f"Дорожная карта по реализации проекта «500+» на 2026–2027 годы — {today}.{file_format}"
    assert _download_name(response) == expected


def test_the_roadmap_page_offers_the_pdf_next_to_xlsx_and_docx(client, world):
    client.force_login(world.coordinator)
    html = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    for file_format in ("xlsx", "docx", "pdf"):
        assert reverse("roadmaps:roadmap-download", args=[world.roadmap.pk, file_format]) in html


@pytest.mark.parametrize("activities", [1, 30])
def test_the_pdf_download_reads_the_same_number_of_queries_for_a_small_and_a_larger_roadmap(
    client, world, django_assert_num_queries, activities
):
    roadmap = official_roadmap(world, activities=activities)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 roadmap with owner, project, act (access helper);
    # 5 sections with 6 their activities, 7 responsibilities + organisations, 8 indicators, 9 their targets;
    # 10 activities outside any section; 11 revisions with their acts.
    with django_assert_num_queries(11):
        response = client.get(reverse("roadmaps:roadmap-download", args=[roadmap.pk, "pdf"]))
    assert response.content.startswith(b"%PDF")
