"""Headings of any depth are stored as nested sections, shown nested on the roadmap page, written back in
the roadmap's download, and counted by section in reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.builders.monitoring_data import monitoring_data
from roadmaps import selectors
from roadmaps.exporting import roadmap_export
from roadmaps.importing import parse_file
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Section
from roadmaps.services import section_create, section_update

pytestmark = pytest.mark.django_db

PLAN = [
    ["№", "Мероприятие", "Срок", "Ответственный"],
    ["Подпрограмма 1. Дошкольное образование", "", "", ""],
    ["Цель 1. Доступность", "", "", ""],
    ["Задача 1.1. Новые места", "", "", ""],
    ["1.", "Строительство сада", "2024", "Отдел"],
    ["2.", "Лицензирование групп", "2024", "Отдел"],
    ["Задача 1.2. Кадры", "", "", ""],
    ["1.", "Курсы воспитателей", "2025", "Отдел"],
    ["Подпрограмма 2. Общее образование", "", "", ""],
    ["Раздел I. Цифровая среда", "", "", ""],
    ["1.", "Оснащение кабинетов", "2025", "Отдел"],
]


def _import(world):
    data = "\n".join("\t".join(row) for row in PLAN).encode()
    return roadmap_import(actor=world.staff, parsed=parse_file(data, "plan.tsv"), owner=world.region_org)


def _tree(roadmap) -> list[tuple[int, str, list[str]]]:
    page = selectors.roadmap_get_page(roadmap=roadmap, today=datetime.date(2025, 1, 1))
    return [(b.level, str(b.section), [a.title for a in b.activities]) for b in page.blocks]


EXPECTED = [
    (0, "Подпрограмма 1. Дошкольное образование", []),
    (1, "Цель 1. Доступность", []),
    (2, "1.1 Новые места", ["Строительство сада", "Лицензирование групп"]),
    (2, "1.2 Кадры", ["Курсы воспитателей"]),
    (0, "Подпрограмма 2. Общее образование", []),
    (1, "I Цифровая среда", ["Оснащение кабинетов"]),
]


def test_the_roadmap_page_lists_the_documents_tree_with_a_level_per_section(world):
    assert _tree(_import(world)) == EXPECTED


def test_the_nested_roadmap_page_runs_the_same_queries_as_a_flat_one(
    client, world, django_assert_num_queries
):
    roadmap = _import(world)
    client.force_login(world.staff)
    # 1 session; 2 user; 3 memberships (scope); 4 roadmap with owner, project, act (access helper);
    # 5 sections (all levels at once); 6 activities; 7 responsibilities + organisations;
    # 8 checkpoint counts by activity; 9 revisions; 10 organisations that may be made responsible.
    with django_assert_num_queries(10):
        response = client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk]))
    html = response.content.decode()
    assert html.count("block sub level-2") == 2
    assert html.index("Цель 1. Доступность") < html.index("Новые места") < html.index("Подпрограмма 2.")


@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
def test_the_roadmaps_download_imports_back_to_the_same_tree_and_numbers(world, file_format):
    roadmap = _import(world)

    again = roadmap_import(
        actor=world.staff,
        parsed=parse_file(roadmap_export(roadmap, file_format), f"roadmap.{file_format}"),
        owner=world.region_org,
    )

    assert _tree(again) == EXPECTED
    numbers = ("number", "comment", "title")
    assert list(again.activities.order_by("sort_key").values_list(*numbers)) == list(
        roadmap.activities.order_by("sort_key").values_list(*numbers)
    )


def test_the_download_writes_each_heading_once_and_the_numbers_as_the_document_wrote_them(world):
    roadmap = _import(world)

    again = parse_file(roadmap_export(roadmap, "xlsx"), "roadmap.xlsx")

    first = again.sections[0]
    assert [h.text for h in first.ancestors] == [
        "Подпрограмма 1. Дошкольное образование",
        "Цель 1. Доступность",
    ]
    assert [a.number_as_written for a in again.activities] == ["1.", "2.", "1.", "1."]


def test_monitoring_report_counts_nested_sections_by_the_section_their_activities_are_in(world):
    roadmap = _import(world)

    data = monitoring_data([roadmap.pk], datetime.date(2025, 12, 31))

    assert sorted(group.label for group in data.sections) == [
        "1.1 Новые места", "1.2 Кадры", "I Цифровая среда"
    ]  # fmt: skip
    assert sum(group.total for group in data.sections) == 4


def test_sections_nest_to_the_depth_limit_and_no_deeper(world):
    roadmap = world.draft
    above = None
    for level in range(Section.MAX_DEPTH):
        above = section_create(actor=world.staff, roadmap=roadmap, title=f"Уровень {level + 1}", parent=above)

    with pytest.raises(ValidationError, match="не глубже"):
        section_create(actor=world.staff, roadmap=roadmap, title="Слишком глубоко", parent=above)


def test_a_section_cannot_be_moved_under_its_own_subsection_or_below_the_limit_with_its_subtree(world):
    roadmap = world.draft
    top = section_create(actor=world.staff, roadmap=roadmap, title="Верх")
    middle = section_create(actor=world.staff, roadmap=roadmap, title="Середина", parent=top)
    section_create(actor=world.staff, roadmap=roadmap, title="Низ", parent=middle)
    other = section_create(actor=world.staff, roadmap=roadmap, title="Другой")
    deep = section_create(
        actor=world.staff,
        roadmap=roadmap,
        title="Глубокий",
        parent=section_create(actor=world.staff, roadmap=roadmap, title="Под другим", parent=other),
    )

    with pytest.raises(ValidationError, match="самого"):
        section_update(actor=world.staff, section=top, expected_version=top.version, parent=middle)
    with pytest.raises(ValidationError, match="не глубже"):  # three levels under a third-level section
        section_update(actor=world.staff, section=top, expected_version=top.version, parent=deep)


def test_staff_nest_a_section_under_a_subsection_in_the_browser_and_are_told_the_limit(client, world):
    roadmap = world.draft
    top = section_create(actor=world.staff, roadmap=roadmap, title="Подпрограмма")
    goal = section_create(actor=world.staff, roadmap=roadmap, title="Цель", parent=top)
    client.force_login(world.staff)
    url = reverse("roadmaps:section-create", args=[roadmap.pk])

    response = client.post(url, {"number": "1.1", "title": "Задача", "parent": goal.pk})

    assert response.status_code == 302
    task = roadmap.sections.get(title="Задача")
    assert task.parent == goal
    deepest = section_create(actor=world.staff, roadmap=roadmap, title="Направление", parent=task)
    refused = client.post(url, {"number": "", "title": "Пятый уровень", "parent": deepest.pk})
    assert refused.status_code == 200
    assert f"не глубже {Section.MAX_DEPTH} уровней" in refused.content.decode()
    assert not roadmap.sections.filter(title="Пятый уровень").exists()
