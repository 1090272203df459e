"""The timeline selector: its scale, groups, marks by outcome, the today line and the filters."""

from __future__ import annotations

import datetime

import pytest

from roadmaps import outcomes, selectors
from roadmaps.models import Activity, Checkpoint, Responsibility, Section
from roadmaps.numbering import number_sort_key
from roadmaps.selectors.timeline import contrast, outcome_keys
from tests import factories

TODAY = datetime.date(2025, 5, 15)


@pytest.fixture
def plan(world):
    """A one-year roadmap: section 1 with a subsection 1.1, section 2; an activity outside any section."""
    roadmap = factories.RoadmapFactory(owner=world.region_org, year_start=2025, year_end=2025)
    first = factories.SectionFactory(roadmap=roadmap, number="1.", title="Организационные меры", position=1)
    nested = factories.SectionFactory(
        roadmap=roadmap, parent=first, number="1.1.", title="Нормативная база", position=2
    )
    second = factories.SectionFactory(roadmap=roadmap, number="2.", title="Методическая работа", position=3)
    factories.SectionFactory(roadmap=roadmap, number="3.", title="Пустой раздел", position=4)
    seminar = factories.ActivityFactory(roadmap=roadmap, section=first, number="1.1.", title="Семинар")
    order = factories.ActivityFactory(roadmap=roadmap, section=nested, number="1.2.", title="Приказ")
    method = factories.ActivityFactory(roadmap=roadmap, section=second, number="2.1.", title="Методички")
    loose = factories.ActivityFactory(roadmap=roadmap, number="4.", title="Без раздела вовсе")
    factories.ResponsibilityFactory(activity=seminar, organization=world.school)
    factories.ResponsibilityFactory(activity=method, organization=world.other_school)
    factories.ResponsibilityFactory(activity=method, organization=world.school)
    # Seminar: due in March (accepted on time), in June (not yet due) — a bar from January to June.
    factories.CheckpointFactory(
        activity=seminar, planned_start=datetime.date(2025, 1, 1), planned_due=datetime.date(2025, 3, 31),
        period_label="I кв. 2025", status="done", actual_date=datetime.date(2025, 3, 20),
    )  # fmt: skip
    factories.CheckpointFactory(
        activity=seminar, planned_start=datetime.date(2025, 4, 1), planned_due=datetime.date(2025, 6, 30),
        period_label="II кв. 2025",
    )  # fmt: skip
    # Order: overdue since February, one on review, one cancelled (not drawn).
    factories.CheckpointFactory(activity=order, planned_start=None, planned_due=datetime.date(2025, 2, 1))
    factories.CheckpointFactory(
        activity=order, planned_due=datetime.date(2025, 4, 30), status="reported",
        actual_date=datetime.date(2025, 4, 20),
    )  # fmt: skip
    factories.CheckpointFactory(
        activity=order, planned_due=datetime.date(2025, 12, 1), status="cancelled", cancel_reason="Не нужен"
    )
    # Methods: done late, from the year before into this one.
    factories.CheckpointFactory(
        activity=method, planned_start=datetime.date(2024, 9, 1), planned_due=datetime.date(2025, 1, 31),
        status="done", actual_date=datetime.date(2025, 2, 10),
    )  # fmt: skip
    return {
        "roadmap": roadmap,
        "sections": (first, nested, second),
        "activities": (seminar, order, method, loose),
    }


def _rows(timeline) -> dict[str, selectors.Timeline]:
    return {row.activity.number: row for group in timeline.groups for row in group.activities}


def test_one_year_is_drawn_in_months_with_the_year_above(plan):
    timeline = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=TODAY)
    assert timeline.unit == "month"
    assert [t.name for t in timeline.ticks][:3] == ["январь", "февраль", "март"]
    assert len(timeline.ticks) == 12 and [y.label for y in timeline.years] == ["2025"]
    assert timeline.ticks[0].left == 0 and timeline.ticks[-1].left + timeline.ticks[-1].width == 100
    # February is 28 of 365 days wide, the scale follows the calendar
    assert timeline.ticks[1].width == round(28 / 365 * 100, 3)


def test_two_years_still_in_months_three_years_in_quarters(world):
    two = factories.RoadmapFactory(owner=world.region_org, year_start=2025, year_end=2026)
    assert selectors.roadmap_timeline(roadmap=two, today=TODAY).unit == "month"
    three = factories.RoadmapFactory(owner=world.region_org, year_start=2024, year_end=2026)
    timeline = selectors.roadmap_timeline(roadmap=three, today=TODAY)
    assert timeline.unit == "quarter"
    assert [t.label for t in timeline.ticks[:5]] == ["I кв.", "II кв.", "III кв.", "IV кв.", "I кв."]
    assert timeline.ticks[4].name == "I кв. 2025"
    assert [y.label for y in timeline.years] == ["2024", "2025", "2026"]
    assert 33.3 < timeline.years[1].left < 33.4


def test_sections_group_activities_in_document_order_and_empty_ones_are_left_out(plan):
    timeline = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=TODAY)
    assert [(g.title, g.level, [r.activity.number for r in g.activities]) for g in timeline.groups] == [
        ("Без раздела", 0, ["4."]),
        ("1. Организационные меры", 0, ["1.1."]),
        ("1.1. Нормативная база", 1, ["1.2."]),
        ("2. Методическая работа", 0, ["2.1."]),
    ]


def test_bar_runs_from_first_start_to_last_deadline_and_marks_carry_the_outcome(plan):
    rows = _rows(selectors.roadmap_timeline(roadmap=plan["roadmap"], today=TODAY))
    seminar = rows["1.1."]
    assert (seminar.start, seminar.due) == (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    assert seminar.left == 0 and seminar.width == round(181 / 365 * 100, 3)
    assert seminar.span_text == "01.01.2025 — 30.06.2025"
    assert [(m.outcome.code, m.outcome.symbol) for m in seminar.marks] == [
        (outcomes.ON_TIME, "В"), (outcomes.UPCOMING, "Н"),
    ]  # fmt: skip
    assert seminar.marks[0].text == "I кв. 2025, срок 31.03.2025: выполнено в срок"
    assert seminar.organizations == [plan["activities"][0].responsibilities.get().organization.short_name]

    order = rows["1.2."]  # the cancelled checkpoint is neither a mark nor part of the bar
    assert [m.outcome.code for m in order.marks] == [outcomes.OVERDUE, outcomes.ON_REVIEW]
    assert order.due == datetime.date(2025, 4, 30)
    assert order.counts.overdue == 1 and order.counts.reported == 1

    method = rows["2.1."]  # begins before the period: clipped at its start, said in words
    assert method.starts_before and not method.ends_after and method.left == 0
    assert method.marks[0].outcome.code == outcomes.LATE
    assert method.span_text == "01.09.2024 — 31.01.2025"

    loose = rows["4."]
    assert not loose.has_bar and loose.marks == []


def test_marks_use_the_dashboard_words_and_colours_with_readable_symbols():
    keys = outcome_keys()
    assert [(k.code, k.label, k.colour) for k in keys] == [
        (code, label, outcomes.OUTCOME_COLOURS[code]) for code, label in outcomes.OUTCOMES
    ]
    assert len({k.symbol for k in keys}) == len(keys)  # colour is never the only signal
    assert all(contrast(k.colour, k.ink) >= 4.5 for k in keys)  # WCAG 2.1 AA for the symbol's text


def test_today_line_sits_at_the_day_and_is_absent_outside_the_period(plan):
    timeline = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=datetime.date(2025, 7, 2))
    assert timeline.today_left == round((182 + 0.5) / 365 * 100, 3)  # 2 July is day 183 of 2025
    later = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=datetime.date(2026, 1, 10))
    assert later.today_left is None
    # and the outcomes follow the day: in 2026 the June checkpoint is overdue
    assert [m.outcome.code for m in _rows(later)["1.1."].marks] == [outcomes.ON_TIME, outcomes.OVERDUE]


def test_section_filter_keeps_its_subsections_and_their_headings(plan):
    first, nested, _second = plan["sections"]
    timeline = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=TODAY, section_id=first.pk)
    assert [(g.title, [r.activity.number for r in g.activities]) for g in timeline.groups] == [
        ("1. Организационные меры", ["1.1."]),
        ("1.1. Нормативная база", ["1.2."]),
    ]
    assert timeline.filtered and timeline.section_title == "1. Организационные меры"
    only_nested = selectors.roadmap_timeline(roadmap=plan["roadmap"], today=TODAY, section_id=nested.pk)
    # the heading above a subsection stays, empty, so the printed page says where it belongs
    assert [(g.title, len(g.activities)) for g in only_nested.groups] == [
        ("1. Организационные меры", 0),
        ("1.1. Нормативная база", 1),
    ]


def test_organization_filter_shows_only_its_activities_with_all_their_checkpoints(plan, world):
    timeline = selectors.roadmap_timeline(
        roadmap=plan["roadmap"], today=TODAY, organization_id=world.other_school.pk
    )
    rows = _rows(timeline)
    assert list(rows) == ["2.1."]
    assert rows["2.1."].organizations == [world.other_school.short_name, world.school.short_name]
    assert timeline.organization_name == world.other_school.short_name
    assert [name for _pk, name in timeline.options.organizations] == sorted(
        [world.school.short_name, world.other_school.short_name]
    )
    both = selectors.roadmap_timeline(
        roadmap=plan["roadmap"],
        today=TODAY,
        organization_id=world.school.pk,
        section_id=plan["sections"][2].pk,
    )
    assert list(_rows(both)) == ["2.1."]


def _bulk_roadmap(world, activities: int, checkpoints_per_activity: int):
    roadmap = factories.RoadmapFactory(owner=world.region_org, year_start=2024, year_end=2026)
    sections = Section.objects.bulk_create(
        Section(roadmap=roadmap, number=f"{n}.", title=f"Раздел {n}", position=n) for n in range(1, 6)
    )
    Section.objects.bulk_create(
        Section(roadmap=roadmap, parent=s, number=f"{s.number}1.", title="Подраздел", position=10 + i)
        for i, s in enumerate(sections)
    )
    rows = Activity.objects.bulk_create(
        Activity(
            roadmap=roadmap,
            section=sections[n % 5],
            number=f"{n % 5 + 1}.{n}.",
            sort_key=number_sort_key(f"{n % 5 + 1}.{n}."),
            title=f"Мероприятие {n}",
            deadline_text="ежемесячно",
        )
        for n in range(activities)
    )
    Responsibility.objects.bulk_create(
        Responsibility(activity=a, organization=world.school if n % 2 else world.other_school)
        for n, a in enumerate(rows)
    )
    statuses = ["planned", "reported", "done", "returned"]
    Checkpoint.objects.bulk_create(
        Checkpoint(
            activity=a,
            sequence=k,
            planned_start=datetime.date(2024 + k // 12 % 3, k % 12 + 1, 1),
            planned_due=datetime.date(2024 + k // 12 % 3, k % 12 + 1, 28),
            period_label=f"месяц {k + 1}",
            status=statuses[k % 4],
            actual_date=datetime.date(2025, 3, 1) if k % 4 in (1, 2) else None,
        )
        for a in rows
        for k in range(checkpoints_per_activity)
    )
    return roadmap, sections


@pytest.mark.parametrize(("activities", "checkpoints"), [(3, 2), (200, 36)])
def test_timeline_reads_in_four_queries_for_any_size(
    world, django_assert_num_queries, activities, checkpoints
):
    roadmap, sections = _bulk_roadmap(world, activities, checkpoints)
    # 1 sections; 2 responsible organisations of the activities; 3 activities; 4 checkpoints with their
    # outcome as of the day — the same with both filters on.
    with django_assert_num_queries(4):
        timeline = selectors.roadmap_timeline(roadmap=roadmap, today=TODAY)
    assert timeline.activity_count == activities
    assert sum(len(r.marks) for g in timeline.groups for r in g.activities) == activities * checkpoints
    with django_assert_num_queries(4):
        selectors.roadmap_timeline(
            roadmap=roadmap, today=TODAY, section_id=sections[0].pk, organization_id=world.school.pk
        )
