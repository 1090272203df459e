import datetime
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from reports.builders import BuildRequest, ReportScope, get_builder, monitoring
from reports.builders.monitoring_data import monitoring_data
from tests import factories

AS_OF = datetime.date(2025, 4, 1)
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftoppm") or not shutil.which("pdftotext"), reason="poppler-utils is not installed"
)


def _build(tmp_path, roadmap, code: str, fmt: str, **parameters):
    path = tmp_path / f"{code}.{fmt}"
    request = BuildRequest(
        scope=ReportScope(roadmap_id=roadmap.pk),
        roadmap_ids=[roadmap.pk],
        as_of=AS_OF,
        format=fmt,
        parameters=parameters,
    )
    get_builder(code).build(request, path)
    return path


def _pdf_pages_and_text(path, tmp_path) -> tuple[list, str]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return sorted(tmp_path.glob("page*.png")), " ".join(text.stdout.split())


def test_monitoring_counts_done_on_time_late_and_overdue_as_of_the_date(filled):
    data = monitoring_data([filled.roadmap.pk], AS_OF)
    cp = data.checkpoints
    # world's 1.1 (due 31.03, planned), 1.2 done on time, 1.10 done late + overdue 01.03 + future 30.09
    assert (cp.total, cp.due, cp.done, cp.on_time, cp.late, cp.overdue) == (5, 4, 2, 1, 1, 2)
    assert cp.done_share == 50.0
    a = data.activities
    assert (a.total, a.due, a.done, a.overdue) == (4, 3, 1, 2)
    assert [s.label for s in data.sections] == ["1. Организационные мероприятия", "Без раздела"]
    by_org = {o.label: o for o in data.organizations}
    assert by_org["СОШ № 2"].overdue == 1 and by_org["СОШ № 2"].late == 1
    assert by_org["ДО"].on_time == 1
    assert [c.pk for c in data.overdue] == [filled.overdue.pk, filled.activities[0].checkpoints.get().pk]
    (indicator,) = data.indicators
    assert (indicator.target, indicator.actual, indicator.achievement) == (50, 30, 60.0)


# Expected queries at any size:
#   1. roadmap titles with activity counts  2. by section  3. by organisation  4. checkpoint totals
#   5. overdue checkpoints with activities (limited)  6. their responsibilities with organisations
#   7. outcomes per activity (streamed)  8. indicators with the year's target  9. their actual values
#   (a tenth reads the history of values changed after the date, when there are such)
def test_monitoring_aggregates_in_a_fixed_number_of_queries(filled, django_assert_num_queries):
    # 1 roadmaps with activity counts; 2 by section; 3 by organisation (outcomes per activity, then
    # spread over responsibilities); 4 overdue checkpoints; 5 their responsibilities; 6 activities and
    # totals in one stream; 7 indicators with targets; 8 actual values.
    with django_assert_num_queries(8):
        monitoring_data([filled.roadmap.pk], AS_OF)


@needs_poppler
def test_monitoring_pdf_renders_a4_pages_with_cyrillic_text(filled, tmp_path):
    path = _build(tmp_path, filled.roadmap, "monitoring", "pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    pages, text = _pdf_pages_and_text(path, tmp_path)
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    assert "Аналитическая справка" in text
    assert "Доля выполненных контрольных точек" in text
    assert "Организационные мероприятия" in text
    assert "СОШ № 2" in text


@needs_poppler
def test_a_long_monitoring_pdf_lists_the_first_rows_and_leaves_the_rest_to_excel(
    filled, tmp_path, monkeypatch
):
    monkeypatch.setattr(monitoring, "PDF_ROWS", 1)
    data = monitoring_data([filled.roadmap.pk], AS_OF)
    organizations = len(data.organizations)
    assert organizations >= 2
    _pages, text = _pdf_pages_and_text(_build(tmp_path, filled.roadmap, "monitoring", "pdf"), tmp_path)
    more = organizations - 1
    assert f"и ещё {more} строк" in text and "полностью в версии Excel" in text
    table = text.split("По ответственным организациям")[1].split("Просроченные контрольные точки")[0]
    top, *rest = data.organizations
    assert top.label in table and all(row.label not in table for row in rest)
    wb = openpyxl.load_workbook(_build(tmp_path, filled.roadmap, "monitoring", "xlsx"))
    assert wb["По организациям"].max_row == organizations + 1  # the header, then every organisation


def test_monitoring_xlsx_has_sheets_and_a_bar_chart(filled, tmp_path):
    path = _build(tmp_path, filled.roadmap, "monitoring", "xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Итоги", "По разделам", "По организациям", "Просрочено", "Показатели"]
    assert wb["По разделам"]["A2"].value == "1. Организационные мероприятия"
    assert wb["Показатели"]["F2"].value == 60
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


@needs_poppler
def test_cover_letter_is_bundled_with_the_form_in_one_zip(filled, tmp_path):
    owner = filled.roadmap.owner
    owner.address, owner.phone, owner.email = (
        "пр. Ленина, д. 111, г. Томск",
        "(3822) 51-25-30",
        "do@example.org",
    )
    owner.inn, owner.ogrn = "7021022030", "1037000082778"
    owner.head_name, owner.head_position = "И.Б. Грабцевич", "Начальник департамента"
    owner.save()
    coordinator = factories.OrganizationFactory(full_name="ФГБУ «ФИОКО»", head_name="С.В. Станченко")
    filled.roadmap.project = factories.ProjectFactory(coordinator=coordinator)
    filled.roadmap.save()
    path = _build(
        tmp_path,
        filled.roadmap,
        "fioko_package",
        "zip",
        outgoing_number="57-3495",
        outgoing_date="11.06.2025",
    )
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == ["Сопроводительное письмо.pdf", "Отчёт по форме федерального координатора.xlsx"]
        archive.extractall(tmp_path / "out")
    letter = tmp_path / "out" / names[0]
    pages, text = _pdf_pages_and_text(letter, tmp_path)
    assert len(pages) == 1
    for expected in (
        "ИНН 7021022030",
        "ОГРН 1037000082778",
        "57-3495",
        "11.06.2025",
        "С.В. Станченко",
        "Грабцевич",
    ):
        assert expected in text
    # the approving act in the right case (roadmaps/acts.py), not «утверждена: приказ от …»
    act = filled.roadmap.approved_by_act
    assert f"утверждена приказом департамента образования от {act.date:%d.%m.%Y}" in " ".join(text.split())
    form = openpyxl.load_workbook(tmp_path / "out" / names[1]).active
    assert form.max_row == 2 + 4
    assert not list(tmp_path.glob(".parts-*"))
