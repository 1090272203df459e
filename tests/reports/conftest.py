"""Fixtures for the report tests: private media in a temporary folder and a filled roadmap."""

import datetime
import importlib
from dataclasses import dataclass

import pytest

from roadmaps.models import Activity, Checkpoint, Roadmap
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.org"
    return settings.MEDIA_ROOT


@pytest.fixture
def production_calendar(db):
    """The calendar its data migration fills. A transactional test elsewhere in the run flushes every
    table, so the rows are put back here (the migration's fill skips the days already there)."""
    from django.apps import apps

    importlib.import_module("reports.migrations.0006_production_calendar_2025_2027").fill(apps, None)


@pytest.fixture
def real_broker():
    """Requested by tests that send tasks through the configured broker to a real worker."""
    return True


@pytest.fixture(autouse=True)
def eager_tasks(request, monkeypatch):
    # With a broker configured (CELERY_BROKER_URL), tasks run in-process anyway unless a test asks for the
    # real broker: most tests check what a task did, not how it travelled.
    if "real_broker" not in request.fixturenames:
        from config.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)


@dataclass
class Filled:
    roadmap: Roadmap
    activities: list[Activity]
    done: Checkpoint
    late: Checkpoint
    overdue: Checkpoint


def add_activities(roadmap: Roadmap, count: int, *, organization=None, start: int = 1) -> list[Activity]:
    """`count` activities, each with a responsible organisation, two checkpoints and one evidence link."""
    organization = organization or factories.OrganizationFactory(short_name="ТОИПКРО")
    activities = []
    for n in range(start, start + count):
        activity = factories.ActivityFactory(
            roadmap=roadmap, number=f"{n}.", title=f"Мероприятие {n}", deadline_text="Март - апрель 2025 г."
        )
        factories.ResponsibilityFactory(activity=activity, organization=organization)
        done = factories.CheckpointFactory(
            activity=activity,
            status=Checkpoint.Status.DONE,
            actual_date=datetime.date(2025, 3, 20),
            actual_text="20.03.2025",
            result=f"Проведено {n}",
        )
        factories.EvidenceFactory(checkpoint=done, url=f"https://example.org/{n}")
        factories.CheckpointFactory(activity=activity, sequence=1, planned_due=datetime.date(2025, 6, 30))
        activities.append(activity)
    return activities


@pytest.fixture
def filled(world) -> Filled:
    """The world's roadmap with a section, three more activities in all the states a report shows."""
    roadmap = world.roadmap
    section = factories.SectionFactory(roadmap=roadmap, number="1.", title="Организационные мероприятия")
    ours = world.school
    first = factories.ActivityFactory(
        roadmap=roadmap,
        section=section,
        number="1.2.",
        title='=HYPERLINK("http://evil.example","нажми")',
        goal_and_tasks="+7 (382) 90-20-74",
        place_and_format="-семинар",
        planned_result="Назначение региональных координаторов",
        target_audience="@участники проекта",
        deadline_text="21.01.2025",
        links="https://example.org/news",
        comment="Комментарий",
    )
    factories.ResponsibilityFactory(activity=first, organization=ours)
    factories.ResponsibilityFactory(
        activity=first, organization=world.region_org, by_agreement=True, position=1
    )
    done = factories.CheckpointFactory(
        activity=first,
        planned_due=datetime.date(2025, 1, 21),
        status=Checkpoint.Status.DONE,
        actual_date=datetime.date(2025, 1, 20),
        actual_text="20.01.2025",
        result="Назначены координаторы",
    )
    factories.EvidenceFactory(checkpoint=done, url="https://example.org/order.pdf")
    second = factories.ActivityFactory(
        roadmap=roadmap,
        section=section,
        number="1.10.",
        title="Второе мероприятие",
        deadline_text="Ежеквартально",
    )
    factories.ResponsibilityFactory(activity=second, organization=world.other_school)
    late = factories.CheckpointFactory(
        activity=second,
        planned_due=datetime.date(2025, 2, 1),
        status=Checkpoint.Status.DONE,
        actual_date=datetime.date(2025, 2, 10),
        actual_text="10.02.2025",
        result="Проведено",
    )
    overdue = factories.CheckpointFactory(activity=second, sequence=1, planned_due=datetime.date(2025, 3, 1))
    factories.CheckpointFactory(activity=second, sequence=2, planned_due=datetime.date(2025, 9, 30))
    third = factories.ActivityFactory(
        roadmap=roadmap, number="2.", title="Без раздела", deadline_text="2025 год"
    )
    indicator = factories.IndicatorFactory(
        roadmap=roadmap, name="Доля школ, вышедших из зоны риска", unit="%"
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=50)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=ours, value=40)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.other_school, value=20)
    activities = list(roadmap.activities.order_by("sort_key"))
    assert [a.number for a in activities] == ["1.1.", "1.2.", "1.10.", "2."]
    assert third in activities
    return Filled(roadmap=roadmap, activities=activities, done=done, late=late, overdue=overdue)
