"""The national data set's generator at a tiny size: counts, paths, keys, statuses, logins, determinism."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from organizations.models import Membership, Municipality, Organization, Region
from organizations.scope import user_scope
from roadmaps import outcomes
from roadmaps.demo import national
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Responsibility,
    Roadmap,
    RoadmapParticipant,
)
from roadmaps.querysets import as_of_cutoff

TINY = national.Sizes(
    regions=2,
    municipalities=6,
    schools=24,
    users=120,
    regional_roadmaps=4,
    municipal_roadmaps=2,
    school_roadmaps=2,
    activities=40,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the national data set is written with PostgreSQL COPY"
    ),
]


@pytest.fixture
def built() -> dict[str, int]:
    return national.load_national(sizes=TINY, progress=lambda line: None)


def test_tiny_build_has_the_sizes_asked_for(built) -> None:
    # One federal coordinator, per region an authority and two centres, per town an authority.
    organizations = 1 + TINY.regions * 3 + TINY.municipalities + TINY.schools
    assert built == {
        "regions": TINY.regions,
        "municipalities": TINY.municipalities,
        "organizations": organizations,
        "users": TINY.users,
        "roadmaps": TINY.regional_roadmaps + TINY.municipal_roadmaps + TINY.school_roadmaps,
        "activities": TINY.activities,
        "checkpoints": Checkpoint.objects.count(),
    }
    assert built["checkpoints"] > TINY.activities
    assert Region.objects.count() == TINY.regions and Municipality.objects.count() == TINY.municipalities
    assert Membership.objects.count() == TINY.users
    assert Organization.objects.filter(kind=Organization.Kind.SCHOOL).count() == TINY.schools


def test_every_path_is_the_one_save_would_compute(built) -> None:
    for organization in Organization.objects.select_related("parent"):
        assert organization.path == organization._expected_path()
    school = Organization.objects.filter(kind=Organization.Kind.SCHOOL).select_related("parent").first()
    assert school.parent.kind == Organization.Kind.MUNICIPAL_AUTHORITY
    assert school.parent.municipality_id == school.municipality_id


def test_every_foreign_key_points_at_a_row_and_sequences_continue(built) -> None:
    for model in national.WRITTEN:
        for field in model._meta.concrete_fields:
            if not field.many_to_one:
                continue
            dangling = model.objects.filter(**{f"{field.name}__isnull": False}).exclude(
                **{f"{field.name}__in": field.related_model.objects.values("pk")}
            )
            assert not dangling.exists(), f"{model.__name__}.{field.name}"
    # The sequences were moved past the ids written, so the ORM inserts after them.
    created = Organization.objects.create(full_name="Новая школа", short_name="Новая")
    assert created.pk == Organization.objects.count()
    assert created.path == f"/{created.pk}/"


def test_roadmap_participants_are_the_responsible_organisations(built) -> None:
    responsible = set(Responsibility.objects.values_list("activity__roadmap_id", "organization_id"))
    assert set(RoadmapParticipant.objects.values_list("roadmap_id", "organization_id")) == responsible
    # The «500+» roadmap of a region has every school of the programme responsible.
    programme = Roadmap.objects.filter(level="regional", project__code__endswith="-500plus").first()
    schools = programme.project.participants.values_list("organization_id", flat=True)
    assert set(schools) <= {org for roadmap, org in responsible if roadmap == programme.pk}


def test_checkpoints_of_every_status_carry_the_transitions_the_services_write(built) -> None:
    assert set(Checkpoint.objects.values_list("status", flat=True)) == set(outcomes.STATUSES)
    cutoff = as_of_cutoff(national.AS_OF)
    transitions: dict[int, list[CheckpointTransition]] = {}
    for transition in CheckpointTransition.objects.order_by("at", "pk"):
        assert transition.at < cutoff
        transitions.setdefault(transition.checkpoint_id, []).append(transition)
    for checkpoint in Checkpoint.objects.all():
        steps = transitions.get(checkpoint.pk, [])
        statuses = [step.status for step in steps]
        if checkpoint.status == outcomes.PLANNED:
            assert steps == [] and checkpoint.reported_at is None
            continue
        last = steps[-1]
        assert last.status == checkpoint.status
        if checkpoint.status == outcomes.CANCELLED:
            assert last.note == checkpoint.cancel_reason != ""
            continue
        assert outcomes.REPORTED in statuses and checkpoint.actual_date and checkpoint.reported_by_id
        assert any(s.status == outcomes.REPORTED and s.at == checkpoint.reported_at for s in steps)
        if checkpoint.status == outcomes.REPORTED:
            assert checkpoint.verified_at is None and last.at == checkpoint.reported_at
        else:
            assert checkpoint.verified_at == last.at and checkpoint.verified_by_id == last.actor_id
            assert checkpoint.reported_at < checkpoint.verified_at < cutoff
        if checkpoint.status == outcomes.RETURNED:
            assert last.note == checkpoint.return_reason != ""
    # Reports as of the data set's day read the transitions back to the stored statuses.
    as_of = Checkpoint.objects.with_status_as_of(national.AS_OF).values_list("status", "status_as_of")
    assert all(status == read for status, read in as_of)


def test_known_logins_log_in_and_reach_their_part_of_the_country(built) -> None:
    users = get_user_model().objects.in_bulk(list(national.KNOWN_LOGINS), field_name="username")
    for username in national.KNOWN_LOGINS:
        assert Client().login(username=username, password=national.NATIONAL_PASSWORD), username
    federal = user_scope(users["national_federal_analyst"])
    for authority in Organization.objects.filter(kind=Organization.Kind.REGIONAL_AUTHORITY):
        assert federal.covers(authority.path, Membership.Role.ANALYST)
    staff = user_scope(users["national_regional_staff"])
    owned = Roadmap.objects.filter(
        level="regional", owner__memberships__user=users["national_regional_staff"]
    )
    assert owned.exists() and all(staff.covers(roadmap.owner.path, "staff") for roadmap in owned)
    school = Membership.objects.get(user=users["national_school_coordinator"]).organization
    assert Roadmap.objects.filter(owner=school, status="approved").exists()
    assert school.participations.exists()
    centre = Membership.objects.get(user=users["national_regional_coordinator"]).organization
    assert Activity.objects.filter(roadmap__level="regional", responsibilities__organization=centre).exists()


def test_refuses_a_database_that_already_holds_data() -> None:
    Region.objects.create(code="99", name="Уже есть")
    with pytest.raises(CommandError, match="--force"):
        national.load_national(sizes=TINY, progress=lambda line: None)


def test_refuses_sqlite_with_a_clear_message(monkeypatch) -> None:
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL-only"):
        national.load_national(sizes=TINY, progress=lambda line: None)


def test_two_builds_are_equal(built) -> None:
    def snapshot() -> list:
        return [
            list(model.objects.order_by("pk").values_list())
            for model in (Organization, get_user_model(), Roadmap, Activity, Checkpoint, CheckpointTransition)
        ]

    first = snapshot()
    national.load_national(sizes=TINY, force=True, progress=lambda line: None)
    assert snapshot() == first
