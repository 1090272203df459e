"""Fixtures for the archive tests: private media in a temporary folder, and a region filled the way the
portal fills it (services where they exist, so history rows and stored files are real)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from organizations.models import Membership, Organization, OrganizationAlias
from projects.models import Participant
from roadmaps import reporting_periods, services
from roadmaps.models import Checkpoint, Comment, Evidence, Roadmap
from roadmaps.services.comments import comment_add
from tests import factories
from tests.reports.conftest import eager_tasks, real_broker  # noqa: F401


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Region:
    roadmap: Roadmap
    checkpoints: list[Checkpoint]
    files: dict[str, bytes]  # storage name → content of every evidence and comment file


def _pdf(name: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4 {body}".encode(), content_type="application/pdf")


def add_activities(world, count: int, start: int = 0) -> list[Checkpoint]:
    """`count` activities of the world's roadmap, each with a school and a foreign organisation responsible,
    a checkpoint reported with a file and accepted, and a comment with a file."""
    roadmap = world.roadmap
    section = factories.SectionFactory(roadmap=roadmap, title=f"Раздел с {start + 1}")
    checkpoints = []
    for n in range(start, start + count):
        activity = factories.ActivityFactory(
            roadmap=roadmap, section=section, number=f"2.{n + 1}.", title=f"Семинар {n + 1}"
        )
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        factories.ResponsibilityFactory(activity=activity, organization=world.foreign_org, position=1)
        checkpoint = factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 31))
        services.checkpoint_report(
            actor=world.coordinator,
            checkpoint=checkpoint,
            actual_date=datetime.date(2025, 3, 20),
            result=f"Проведено {n + 1}",
            file=_pdf(f"акт-{n + 1}.pdf", f"act {n + 1}"),
        )
        checkpoint = services.checkpoint_accept(actor=world.staff, checkpoint=checkpoint)
        comment_add(
            actor=world.coordinator, checkpoint=checkpoint, text="Протокол во вложении",
            file=_pdf("протокол.pdf", f"protocol {n + 1}"),
        )  # fmt: skip
        checkpoints.append(checkpoint)
    return checkpoints


def stored_files(roadmap: Roadmap) -> dict[str, bytes]:
    """Storage name → content of every evidence and comment file of the roadmap."""
    files = {}
    evidence = Evidence.objects.filter(checkpoint__activity__roadmap=roadmap)
    comments = Comment.objects.filter(Q(checkpoint__activity__roadmap=roadmap) | Q(activity__roadmap=roadmap))
    for item in [*evidence.exclude(file=""), *comments.exclude(file="")]:
        with item.file.open("rb") as handle:
            files[item.file.name] = handle.read()
    return files


def fill_region(world, *, activities: int = 2) -> Region:
    """The world's home region with ИНН, a municipality, an alias, a second staff member, a nested project
    with a participant, `activities` more activities (add_activities), an activity's own thread, an
    indicator with targets and values and a closed period; the foreign region gets a roadmap with a
    reported file too, which no archive of the home region may hold."""
    home = world.region_org.region
    municipality = factories.MunicipalityFactory(region=home, name="Город Томск", oktmo="69701000")
    Organization.objects.filter(pk=world.region_org.pk).update(inn="7017000001")
    Organization.objects.filter(pk=world.school.pk).update(inn="7017000002", municipality=municipality)
    Organization.objects.filter(pk=world.foreign_org.pk).update(inn="6501000001")
    OrganizationAlias.objects.create(
        organization=world.school, spelling="МБОУ СОШ №1", confirmed_by=world.staff
    )
    second_staff = factories.UserFactory(username="staff2", first_name="Пётр", last_name="Петров")
    Membership.objects.create(user=second_staff, organization=world.region_org, role=Membership.Role.STAFF)
    national = factories.ProjectFactory(code="obrazovanie", name="Образование", level="national")
    regional = factories.ProjectFactory(
        code="uspeh-70",
        name="Успех каждого ребёнка",
        parent=national,
        region=home,
        coordinator=world.foreign_org,
    )
    Participant.objects.create(
        project=regional, organization=world.school, curator=world.region_org, curator_user=world.staff
    )
    roadmap = world.roadmap
    Roadmap.objects.filter(pk=roadmap.pk).update(project=regional)
    checkpoints = add_activities(world, activities)
    comment_add(
        actor=world.staff, activity=roadmap.activities.order_by("pk").first(), text="Обсудим на планёрке"
    )
    indicator = factories.IndicatorFactory(roadmap=roadmap, name="Доля школ с программами", unit="%")
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=50)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=60, organization=world.school)
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=70, organization=world.foreign_org)
    services.indicator_value_set(
        actor=world.coordinator, indicator=indicator, year=2025, organization=world.school, value=40
    )
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.foreign_org, value=10)
    span = reporting_periods.quarter(2026, 1)
    services.period_close(
        actor=world.staff, roadmap=roadmap, first_day=span.first_day, last_day=span.last_day, label=span.label
    )
    foreign_activity = factories.ActivityFactory(roadmap=world.foreign_roadmap, number="1.", title="Чужое")
    foreign_school = factories.OrganizationFactory(parent=world.foreign_org, short_name="Чужая школа")
    factories.ResponsibilityFactory(activity=foreign_activity, organization=foreign_school)
    services.checkpoint_report(
        actor=world.outsider_coordinator,
        checkpoint=factories.CheckpointFactory(activity=foreign_activity),
        actual_date=datetime.date(2025, 3, 20),
        result="Чужой отчёт",
        file=_pdf("чужой.pdf", "foreign"),
    )
    return Region(roadmap=roadmap, checkpoints=checkpoints, files=stored_files(roadmap))


@pytest.fixture
def region(world) -> Region:
    return fill_region(world)
