"""Personas shared by every test: staff of the owner organisation, a coordinator of a responsible school,
an analyst, an observer, and an outsider from another region."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from organizations.models import Membership, Organization
from roadmaps.models import Checkpoint, Roadmap
from tests import factories

# The test identity provider (a second process, started once per run by the first test that asks for it).
from tests.oidc_provider.fixtures import oidc_provider, sso_provider  # noqa: F401

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def pytest_report_header(config) -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "eager (in-process)" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL
    return f"database vendor: {engine}; celery broker: {broker}"


def pytest_terminal_summary(terminalreporter) -> None:
    terminalreporter.write_line(pytest_report_header(None))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Rolled-back tests hand out the same primary keys again, so cached pages must not outlive a test.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Personas are created for nearly every test; the production hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(
            f"the seed documents folder {SEEDS_DIR} is absent (it lives beside the project, not in it)"
        )
    return SEEDS_DIR


@dataclass
class World:
    region_org: Organization
    school: Organization
    other_school: Organization
    foreign_org: Organization
    staff: object
    coordinator: object
    analyst: object
    observer: object
    outsider: object
    outsider_coordinator: object
    roadmap: Roadmap
    draft: Roadmap
    checkpoint: Checkpoint
    foreign_roadmap: Roadmap


def _member(org: Organization, role: str, username: str):
    user = factories.UserFactory(username=username)
    Membership.objects.create(user=user, organization=org, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    home = factories.RegionFactory(code="70", name="Томская область")
    away = factories.RegionFactory(code="65", name="Сахалинская область")
    region_org = factories.OrganizationFactory(
        full_name="Департамент образования области",
        short_name="ДО",
        kind=Organization.Kind.REGIONAL_AUTHORITY,
        region=home,
    )
    school = factories.OrganizationFactory(
        full_name="Средняя школа № 1", short_name="СОШ № 1", parent=region_org, region=home
    )
    other_school = factories.OrganizationFactory(
        full_name="Средняя школа № 2", short_name="СОШ № 2", parent=region_org, region=home
    )
    foreign_org = factories.OrganizationFactory(
        full_name="Министерство образования другой области",
        short_name="МО",
        kind=Organization.Kind.REGIONAL_AUTHORITY,
        region=away,
    )
    roadmap = factories.RoadmapFactory(owner=region_org, title="План развития дополнительного образования")
    activity = factories.ActivityFactory(roadmap=roadmap, number="1.1.", title="Провести семинар")
    factories.ResponsibilityFactory(activity=activity, organization=school)
    checkpoint = factories.CheckpointFactory(
        activity=activity, planned_due=datetime.date(2025, 3, 31), period_label="I кв. 2025"
    )
    draft = factories.RoadmapFactory(owner=region_org, status=Roadmap.Status.DRAFT, title="Черновик плана")
    foreign_roadmap = factories.RoadmapFactory(owner=foreign_org, title="Чужая дорожная карта")
    return World(
        region_org=region_org,
        school=school,
        other_school=other_school,
        foreign_org=foreign_org,
        staff=_member(region_org, Membership.Role.STAFF, "staff"),
        coordinator=_member(school, Membership.Role.COORDINATOR, "coordinator"),
        analyst=_member(region_org, Membership.Role.ANALYST, "analyst"),
        observer=_member(region_org, Membership.Role.OBSERVER, "observer"),
        outsider=_member(foreign_org, Membership.Role.STAFF, "outsider"),
        outsider_coordinator=_member(foreign_org, Membership.Role.COORDINATOR, "outsider_coordinator"),
        roadmap=roadmap,
        draft=draft,
        checkpoint=checkpoint,
        foreign_roadmap=foreign_roadmap,
    )
