"""Next year's copy of a roadmap: the wordings moved by N years, the copy service, its page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmaps import outcomes
from roadmaps.deadlines.shift import shift_years
from roadmaps.models import Activity, Checkpoint, IndicatorTarget, Roadmap, Section
from roadmaps.services.copying import roadmap_copy
from tests import factories

# Own examples in the shapes of the deadline list in the seeds' README (never the seed texts).
SHIFTED = [
    ("до 15.05.2025", 1, "до 15.05.2026"),
    ("15.05.2025", 2, "15.05.2027"),
    ("С 10.02. по 25.02.2025", 1, "С 10.02. по 25.02.2026"),
    ("С 18.03.по 02.04.2025", 1, "С 18.03.по 02.04.2026"),
    ("14-25.09.2025", 1, "14-25.09.2026"),
    ("С12-19.10.2025", 1, "С12-19.10.2026"),
    ("01.07-30.09.2025", 1, "01.07-30.09.2026"),
    ("27.03-03.04.2025", 1, "27.03-03.04.2026"),
    ("13.10.2025-17.10.2025", 1, "13.10.2026-17.10.2026"),
    ("30. 06.2025", 1, "30. 06.2026"),
    ("Март - апрель 2025 года", 1, "Март - апрель 2026 года"),
    ("Май-ноябрь 2025 г.", 1, "Май-ноябрь 2026 г."),
    ("Февраль 2025 г. – октябрь 2026 г.", 1, "Февраль 2026 г. – октябрь 2027 г."),
    ("2025 год", 1, "2026 год"),
    ("2025", 3, "2028"),
    ("2025-2027", 1, "2026-2028"),
    ("2025 - 2029", 1, "2026 - 2030"),
    ("01.09.2025\n01.09.2026\n01.09.2027", 1, "01.09.2026\n01.09.2027\n01.09.2028"),
    ("сентябрь 2025 г., ежегодно", 1, "сентябрь 2026 г., ежегодно"),
    ("Февраль 2025 года, далее - ежеквартально", 1, "Февраль 2026 года, далее - ежеквартально"),
    ("с 01.10.2025 (ежегодно)", 1, "с 01.10.2026 (ежегодно)"),
    ("01.01.2025 -31.12.2027 (2 раза в год)", 1, "01.01.2026 -31.12.2028 (2 раза в год)"),
    ("С 1 марта 2025 года постоянно", 1, "С 1 марта 2026 года постоянно"),
    ("С февраля 2025, постоянно", 1, "С февраля 2026, постоянно"),
    ("По графику, начиная с марта 2025 года", 1, "По графику, начиная с марта 2026 года"),
    ("2025/2026 учебный год", 1, "2026/2027 учебный год"),
    ("до 31.12.2025", -1, "до 31.12.2024"),
]

UNCHANGED = [
    "Ежеквартально",
    "Ежемесячно",
    "Еженедельно",
    "Октябрь, ежегодно",
    "Май, октябрь ежегодно",
    "Первое полугодие, ежегодно",
    "Постоянно",
    "В течение года",
    "По графику",
    "По запросу",
    "По мере поступления заявок",
    "До 20.04.",
    "до 5 числа месяца, следующего за отчётным",
    "По плану, утверждённому приказом № 2025",
    "",
]


@pytest.mark.parametrize(("text", "years", "expected"), SHIFTED)
def test_explicit_years_and_dates_move(text, years, expected):
    shifted = shift_years(text, years)
    assert shifted.text == expected
    assert shifted.changed
    assert shifted.notes == []


@pytest.mark.parametrize("text", UNCHANGED)
def test_relative_wordings_stay(text):
    shifted = shift_years(text, 1)
    assert shifted.text == text
    assert not shifted.changed


def test_no_shift_changes_nothing():
    assert shift_years("до 15.05.2025", 0) == shift_years("до 15.05.2025", 0)
    assert not shift_years("до 15.05.2025", 0).changed


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("до 29.02.2028", 1, "до 28.02.2029"),
        ("29.02-05.03.2028", 1, "28.02-05.03.2029"),
        ("29 февраля 2028 года", 1, "28 февраля 2029 года"),
    ],
)
def test_leap_day_in_a_common_year_becomes_28_february_with_a_note(text, years, expected):
    shifted = shift_years(text, years)
    assert shifted.text == expected
    assert shifted.notes == ["29 февраля в 2029 году нет: срок перенесён на 28 февраля"]


def test_leap_day_kept_in_a_leap_year():
    shifted = shift_years("до 29.02.2028", 4)
    assert shifted.text == "до 29.02.2032"
    assert shifted.notes == []


# --- The copy service ------------------------------------------------------------------------------------


WORDINGS = ("до 15.05.2025", "Ежеквартально", "Март - апрель 2025 года", "2024-2026", "по запросу")


def _source(world, *, activities: int = 3, wordings=WORDINGS) -> Roadmap:
    """world.roadmap (2024–2026) with nested sections, activities of every kind of wording, responsibilities,
    indicators with the roadmap's and a school's targets, and a report with evidence."""
    roadmap = world.roadmap
    top = factories.SectionFactory(roadmap=roadmap, number="1.", title="Кадры", position=1)
    sub = factories.SectionFactory(roadmap=roadmap, number="1.1.", title="Повышение квалификации", parent=top)
    deep = factories.SectionFactory(roadmap=roadmap, number="1.1.1.", title="Курсы", parent=sub)
    for index in range(activities):
        activity = factories.ActivityFactory(
            roadmap=roadmap, section=(top, sub, deep)[index % 3], number=f"2.{index + 1}.",
            title=f"Семинар № {index + 1}", planned_result="Проведён семинар", responsible_text="ДО, СОШ № 1",
            deadline_text=wordings[index % len(wordings)], place_and_format="онлайн",
        )  # fmt: skip
        factories.ResponsibilityFactory(activity=activity, organization=world.school, person="Иванова И. И.")
        factories.ResponsibilityFactory(
            activity=activity, organization=world.other_school, role="co", by_agreement=True
        )
        factories.CheckpointFactory(
            activity=activity, status=outcomes.DONE, actual_date=datetime.date(2025, 3, 1)
        )
    first = roadmap.activities.get(number="2.1.")
    indicator = factories.IndicatorFactory(roadmap=roadmap, activity=first, name="Доля педагогов", unit="%")
    factories.IndicatorTargetFactory(indicator=indicator, year=2024, value=Decimal("40"))
    factories.IndicatorTargetFactory(indicator=indicator, year=2026, value=Decimal("60"))
    factories.IndicatorTargetFactory(indicator=indicator, year=2023, value=Decimal("30"))  # outside already
    factories.IndicatorTargetFactory(
        indicator=indicator, organization=world.school, year=2025, value=Decimal("55")
    )
    factories.EvidenceFactory(checkpoint=first.checkpoints.first())
    return roadmap


def test_copy_is_a_draft_of_the_next_period_with_the_structure_and_shifted_wordings(world):
    source = _source(world)
    copy = roadmap_copy(actor=world.staff, source=source, years=1, title="План на 2025–2027")

    assert (copy.status, copy.year_start, copy.year_end) == (Roadmap.Status.DRAFT, 2025, 2027)
    assert copy.owner == source.owner and copy.project_id == source.project_id and copy.level == source.level
    assert copy.title == "План на 2025–2027"
    assert copy.copied_from == source
    assert copy.history.get().history_user == world.staff

    sections = {s.number: s for s in Section.objects.filter(roadmap=copy)}
    assert set(sections) == {"1.", "1.1.", "1.1.1."}
    assert sections["1.1.1."].parent == sections["1.1."] and sections["1.1."].parent == sections["1."]

    wording = dict(copy.activities.values_list("number", "deadline_text"))
    assert wording["2.1."] == "до 15.05.2026"
    assert wording["2.2."] == "Ежеквартально"
    assert wording["2.3."] == "Март - апрель 2026 года"
    three = copy.activities.get(number="2.3.")
    assert (three.section.number, three.planned_result, three.place_and_format) == (
        "1.1.1.",
        "Проведён семинар",
        "онлайн",
    )
    assert three.history.get().history_user == world.staff

    # Checkpoints made fresh from the new wordings, nothing reported.
    first = copy.activities.get(number="2.1.")
    assert list(first.checkpoints.values_list("planned_due", "status")) == [
        (datetime.date(2026, 5, 15), outcomes.PLANNED)
    ]
    assert not Checkpoint.objects.filter(activity__roadmap=copy).exclude(status=outcomes.PLANNED).exists()
    assert not Checkpoint.objects.filter(activity__roadmap=copy, evidence__isnull=False).exists()

    responsible = list(first.responsibilities.values_list("organization", "role", "by_agreement", "person"))
    assert responsible == [
        (world.school.pk, "lead", False, "Иванова И. И."),
        (world.other_school.pk, "co", True, ""),
    ]
    assert set(copy.participants.values_list("organization", flat=True)) >= {world.school.pk}

    indicator = copy.indicators.get()
    assert indicator.activity == first
    targets = set(
        IndicatorTarget.objects.filter(indicator=indicator).values_list("organization", "year", "value")
    )
    assert targets == {
        (None, 2025, Decimal("40")),
        (None, 2027, Decimal("60")),
        (world.school.pk, 2026, Decimal("55")),
    }

    review = {(item["subject"], item["before"], item["after"]) for item in copy.copy_review}
    assert ("Мероприятие 2.1.", "до 15.05.2025", "до 15.05.2026") in review
    assert ("Мероприятие 2.3.", "Март - апрель 2025 года", "Март - апрель 2026 года") in review
    assert not any(item["subject"] == "Мероприятие 2.2." for item in copy.copy_review)
    dropped = [item for item in copy.copy_review if item["subject"].startswith("Показатель")]
    assert [(d["before"], d["note"]) for d in dropped] == [
        ("2023: 30.00", "2024 год вне периода 2025–2027: значение не перенесено")
    ]
    assert Roadmap.objects.get(pk=copy.pk).copy_review == copy.copy_review  # stored

    # The source is untouched.
    assert source.activities.count() == copy.activities.count() == 4  # world's 1.1. and three more
    assert source.activities.get(number="2.1.").deadline_text == "до 15.05.2025"


def test_default_title_moves_its_years_and_leap_days_are_noted(world):
    source = factories.RoadmapFactory(owner=world.region_org, title="План на 2024-2026 годы")
    factories.ActivityFactory(roadmap=source, number="1.", deadline_text="до 29.02.2024")
    copy = roadmap_copy(actor=world.staff, source=source, years=1)
    assert copy.title == "План на 2025-2027 годы"
    assert copy.activities.get().deadline_text == "до 28.02.2025"
    assert copy.copy_review == [
        {
            "subject": "Мероприятие 1.",
            "before": "до 29.02.2024",
            "after": "до 28.02.2025",
            "note": "29 февраля в 2025 году нет: срок перенесён на 28 февраля",
        }
    ]


def test_a_refused_copy_writes_nothing(world):
    source = _source(world)
    before = Roadmap.objects.count()
    with pytest.raises(ValidationError):
        roadmap_copy(actor=world.staff, source=source, years=0)
    assert Roadmap.objects.count() == before


@pytest.mark.parametrize("size", [3, 30])
def test_copy_takes_a_fixed_number_of_queries(world, django_assert_num_queries, size):
    """Each table read once, written in batches. One checkpoint per activity here: SQLite splits an
    insert of more rows than its bound-parameter limit allows (a few hundred checkpoints) into several,
    which is the database's batching, not a query per activity."""
    source = _source(world, activities=size, wordings=("до 15.05.2025", "Октябрь 2025 года"))
    with django_assert_num_queries(62):
        roadmap_copy(actor=world.staff, source=source, years=2)
    assert Activity.objects.filter(roadmap__copied_from=source).count() == size + 1


# --- The page ----------------------------------------------------------------------------------------------


def test_staff_copy_from_the_page_and_see_what_to_review(client, world):
    source = _source(world)
    client.force_login(world.staff)
    url = reverse("roadmaps:roadmap-copy", args=[source.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "План развития дополнительного образования (2025–2027)" in page.content.decode()

    response = client.post(url, {"years": "1", "title": "План на следующий год"})
    copy = Roadmap.objects.get(copied_from=source)
    assert response.status_code == 302 and response.url == reverse("roadmaps:roadmap-detail", args=[copy.pk])
    detail = client.get(response.url).content.decode()
    assert "Создана копированием из" in detail and source.title in detail
    assert "до 15.05.2026" in detail and "Проверьте после копирования" in detail
    assert reverse("roadmaps:roadmap-copy", args=[copy.pk]) in detail


def test_a_refused_form_keeps_what_was_typed_and_creates_nothing(client, world):
    client.force_login(world.staff)
    count = Roadmap.objects.count()
    response = client.post(
        reverse("roadmaps:roadmap-copy", args=[world.roadmap.pk]), {"years": "0", "title": "Мой заголовок"}
    )
    assert response.status_code == 200
    assert "Мой заголовок" in response.content.decode()
    assert Roadmap.objects.count() == count


def test_a_coordinator_cannot_copy(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("roadmaps:roadmap-copy", args=[world.roadmap.pk]), {"years": "1", "title": "x"}
    )
    assert response.status_code == 403  # the school sees the roadmap it takes part in, but does not own it
    client.force_login(world.analyst)
    response = client.post(
        reverse("roadmaps:roadmap-copy", args=[world.roadmap.pk]), {"years": "1", "title": "x"}
    )
    assert response.status_code == 403
    assert not Roadmap.objects.filter(copied_from=world.roadmap).exists()
