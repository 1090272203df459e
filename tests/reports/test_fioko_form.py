import datetime

import openpyxl
import pytest

from reports.builders import BuildRequest, ReportScope, get_builder
from reports.builders.fioko_form import COLUMNS
from tests import factories
from tests.reports.conftest import add_activities

AS_OF = datetime.date(2025, 4, 1)


def _build(tmp_path, roadmap_ids, *, scope=None):
    scope = scope or ReportScope(roadmap_id=roadmap_ids[0])
    path = tmp_path / "form.xlsx"
    request = BuildRequest(scope=scope, roadmap_ids=roadmap_ids, as_of=AS_OF, format="xlsx")
    get_builder("fioko_form").build(request, path)
    return openpyxl.load_workbook(path)


def test_form_has_the_federal_coordinators_two_row_header_with_4a_4b_merged(filled, tmp_path):
    ws = _build(tmp_path, [filled.roadmap.pk]).active
    assert [ws.cell(1, c).value for c in (1, 2, 3, 4)] == [
        "Код региона",
        "Регион",
        "Все мероприятия региональной «дорожной карты» проекта «500+»",
        "Краткое описание мероприятия",
    ]
    assert ws["D2"].value == "Цель и задачи мероприятия"
    assert ws["E2"].value == "Место и формат проведения мероприятия"
    assert ws["F1"].value == "Планируемая дата проведения мероприятия"
    assert ws["N1"].value == "Комментарий"
    assert ws.max_column == 14 == len(COLUMNS)  # 13 columns, the 4th split into 4a and 4b
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "D1:E1" in merged
    assert {"A1:A2", "C1:C2", "F1:F2", "N1:N2"} <= merged
    assert len(merged) == 13


def test_form_has_one_row_per_activity_in_roadmap_order_with_region_on_every_row(filled, tmp_path):
    ws = _build(tmp_path, [filled.roadmap.pk]).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 4
    assert [r[2] for r in rows] == [a.title for a in filled.activities]
    # The federal coordinator merges and sorts the regions' forms: every row keeps its region.
    assert all(r[:2] == ("70", "Томская область") for r in rows)


def test_form_row_shows_deadline_actual_dates_results_responsible_and_links(filled, tmp_path):
    ws = _build(tmp_path, [filled.roadmap.pk]).active
    row = [c.value for c in ws[4]]  # activity 1.2.
    assert row[5] == "21.01.2025"
    assert row[6] == "20.01.2025"
    assert row[7] == "Назначены координаторы (выполнено)"
    assert row[8] == "СОШ № 1, ДО (по согласованию)"
    assert row[9] == "@участники проекта"
    assert row[10] == "https://example.org/news"
    assert row[11] == "https://example.org/order.pdf"
    assert row[13] == "Комментарий"
    second = [c.value for c in ws[5]]  # 1.10.: one done late, one overdue — so not «(выполнено)»
    assert second[6] == "10.02.2025"
    assert second[7] == "Проведено"


def test_text_starting_with_formula_characters_is_stored_as_text_never_as_formula(filled, tmp_path):
    ws = _build(tmp_path, [filled.roadmap.pk]).active
    title, goal, place = ws["C4"], ws["D4"], ws["E4"]
    assert title.value == '=HYPERLINK("http://evil.example","нажми")'
    for cell in (title, goal, place, ws["J4"]):
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate
    assert goal.value == "+7 (382) 90-20-74"
    assert place.value == "-семинар"


def test_form_is_printable_landscape_a4_with_frozen_repeated_header(filled, tmp_path):
    ws = _build(tmp_path, [filled.roadmap.pk]).active
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.print_title_rows == "$1:$2"
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["C"].width == 40
    assert ws["C3"].alignment.wrap_text
    assert ws["C3"].border.left.style == "thin"


def test_form_for_project_in_region_lists_every_roadmap_of_the_project_there(world, tmp_path):
    project = factories.ProjectFactory()
    first = factories.RoadmapFactory(owner=world.region_org, project=project, title="Первая")
    second = factories.RoadmapFactory(owner=world.school, project=project, title="Вторая")
    add_activities(first, 2)
    add_activities(second, 3)
    scope = ReportScope(project_id=project.pk, region_id=world.region_org.region_id)
    ws = _build(tmp_path, scope.roadmap_ids(), scope=scope).active
    assert ws.max_row == 2 + 5


# Expected queries, whatever the number of activities (up to a chunk of 2,000):
#   1. the first roadmap with its owner and region (region code and name)
#   2. activities in roadmap order (one chunk)
#   3. their responsibilities with organisations
#   4. their indicators with the year's target (values follow only when there are indicators)
#   5. their checkpoints with the status as of the date
#   6. the checkpoints' evidence
@pytest.mark.parametrize("count", [10, 200])
def test_form_builder_query_count_does_not_grow_with_activities(
    world, tmp_path, django_assert_num_queries, count
):
    add_activities(world.roadmap, count, start=10)
    with django_assert_num_queries(6):
        ws = _build(tmp_path, [world.roadmap.pk]).active
    assert ws.max_row == 2 + count + 1
