"""Every list as .xlsx: the page's rows with its filters, every page, in the page's scope; text never
becomes a formula, dates read ДД.ММ.ГГГГ, the file is named in Russian with the day."""

from __future__ import annotations

import datetime
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import Roadmap
from roadmaps.outcomes import RETURNED
from tests import factories

EVIL = '=HYPERLINK("http://evil.example","Нажми")'


def _download(client, user, name: str, **params) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(reverse(f"roadmaps:{name}"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = unquote(response["Content-Disposition"])
    assert f"{timezone.localdate():%d.%m.%Y}.xlsx" in disposition
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    workbook.disposition = disposition
    return workbook


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]


def _cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_my_checkpoints_export_lists_every_row_of_the_groups_with_russian_dates(client, world):
    activity = world.checkpoint.activity
    activity.title = EVIL
    activity.save()
    factories.CheckpointFactory(
        activity=activity,
        status=RETURNED,
        return_reason="Нет протокола",
        planned_due=datetime.date(2025, 6, 30),
        period_label="II кв. 2025",
    )
    workbook = _download(client, world.coordinator, "my-checkpoints-export")
    assert "Мои мероприятия" in workbook.disposition
    sheet = workbook["Мои мероприятия"]
    assert [c.value for c in sheet[2]][:7] == [
        "Группа",
        "Дорожная карта",
        "№",
        "Мероприятие",
        "Период",
        "Срок",
        "Статус",
    ]
    rows = _rows(sheet)
    assert len(rows) == 2
    assert {row[4] for row in rows} == {"I кв. 2025", "II кв. 2025"}
    assert {row[0] for row in rows} == {"Просрочено"}
    assert "Нет протокола" in [row[9] for row in rows]
    assert rows[0][10] == "СОШ № 1"
    due = sheet.cell(row=3, column=6)
    assert due.value == datetime.datetime(2025, 3, 31) and due.number_format == "DD.MM.YYYY"
    title = next(cell for cell in _cells(workbook) if cell.value == EVIL)
    assert title.data_type == "s" and title.quotePrefix
    assert not any(cell.data_type == "f" for cell in _cells(workbook))


def test_my_checkpoints_export_of_one_group_and_of_another_coordinator(client, world):
    assert (
        _rows(_download(client, world.coordinator, "my-checkpoints-export", group="done")["Мои мероприятия"])
        == []
    )
    assert (
        len(_rows(_download(client, world.coordinator, "my-checkpoints-export", group="overdue").active)) == 1
    )
    assert _rows(_download(client, world.outsider_coordinator, "my-checkpoints-export").active) == []


@pytest.mark.parametrize("count", [3, 40])
def test_my_checkpoints_export_costs_the_same_queries_however_many_rows(
    client, world, django_assert_num_queries, count
):
    for n in range(count):
        factories.CheckpointFactory(activity=world.checkpoint.activity, period_label=f"Месяц {n}")
    client.force_login(world.coordinator)
    # 1 session; 2 user; 3 memberships (scope); 4 the rows with activities and roadmaps (one batch);
    # 5 their responsible organisations in scope; 6 their evidence.
    with django_assert_num_queries(6):
        response = client.get(reverse("roadmaps:my-checkpoints-export"))
        content = b"".join(response.streaming_content)
    assert len(_rows(openpyxl.load_workbook(io.BytesIO(content)).active)) == count + 1


def test_review_export_lists_deadlines_to_check_on_every_page(client, world):
    for n in range(30):
        factories.ActivityFactory(
            roadmap=world.roadmap, number=f"3.{n + 1}.", deadline_text="по мере необходимости"
        )
    workbook = _download(client, world.staff, "review-export")
    assert "Требует проверки" in workbook.disposition
    assert workbook.sheetnames == ["Сроки мероприятий", "Расхождения"]
    rows = _rows(workbook["Сроки мероприятий"])
    assert len(rows) >= 30  # the page shows 25
    assert {row[0] for row in rows} == {world.roadmap.title}
    assert _rows(_download(client, world.outsider, "review-export")["Сроки мероприятий"]) == []


def test_roadmap_list_export_applies_the_lists_filters(client, world):
    workbook = _download(client, world.staff, "roadmap-list-export")
    titles = [row[0] for row in _rows(workbook.active)]
    assert set(titles) == {world.roadmap.title, world.draft.title}
    drafts = _download(client, world.staff, "roadmap-list-export", status=Roadmap.Status.DRAFT)
    assert [row[0] for row in _rows(drafts.active)] == [world.draft.title]
    approved = _rows(_download(client, world.coordinator, "roadmap-list-export").active)
    assert [(row[0], row[6]) for row in approved] == [(world.roadmap.title, 1)]


@pytest.mark.parametrize("count", [3, 40])
def test_roadmap_list_export_costs_the_same_queries_however_many_roadmaps(
    client, world, django_assert_num_queries, count
):
    for n in range(count):
        factories.RoadmapFactory(owner=world.region_org, title=f"План {n:02d}", edition=False)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 the roadmaps with owners, projects and activity counts.
    with django_assert_num_queries(4):
        b"".join(client.get(reverse("roadmaps:roadmap-list-export")).streaming_content)


def test_search_export_has_a_sheet_per_group_within_the_scope(client, world):
    factories.ActivityFactory(roadmap=world.foreign_roadmap, title="Провести семинар на Сахалине")
    workbook = _download(client, world.staff, "search-export", q="семинар")
    assert workbook.sheetnames == ["Дорожные карты", "Мероприятия", "Контрольные точки"]
    assert [row[2] for row in _rows(workbook["Мероприятия"])] == ["Провести семинар"]
    assert _rows(workbook["Мероприятия"])[0][5] == "в названии"
    assert _rows(_download(client, world.staff, "search-export", q="с")["Мероприятия"]) == []


@pytest.mark.parametrize("count", [2, 30])
def test_search_export_costs_the_same_queries_however_many_rows(
    client, world, django_assert_num_queries, count
):
    for n in range(count):
        activity = factories.ActivityFactory(
            roadmap=world.roadmap, number=f"5.{n + 1}.", title=f"Семинар {n}"
        )
        factories.CheckpointFactory(activity=activity, result=f"Семинар проведён {n}")
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); for roadmaps, activities and checkpoints each: 4/6/8 the
    # matching ids and 5/7/9 their rows with roadmaps and reasons (one batch; none when no id matched).
    with django_assert_num_queries(8):
        content = b"".join(client.get(reverse("roadmaps:search-export"), {"q": "семинар"}).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(_rows(workbook["Мероприятия"])) == count + 1
    assert len(_rows(workbook["Контрольные точки"])) == count
