"""Two staff moving organisations at the same moment never leave a cycle or a stale path (PostgreSQL's row
locks decide; SQLite serialises whole transactions, so these run on PostgreSQL only, as CI does)."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from organizations import services
from organizations.models import Organization
from tests.concurrency import race

ROUNDS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def _district(world, n: int) -> Organization:
    return services.organization_create(
        actor=world.staff, full_name=f"УО {n}", short_name=f"УО {n}", parent=world.region_org,
        kind=Organization.Kind.MUNICIPAL_AUTHORITY,
    )  # fmt: skip


def _move(world, what: int, where: int) -> None:
    services.organization_move(
        actor=world.staff,
        organization=Organization.objects.get(pk=what),
        parent=Organization.objects.get(pk=where),
    )


def _add(world, under: int, name: str) -> None:
    parent = Organization.objects.get(pk=under)
    services.organization_create(actor=world.staff, full_name=name, short_name=name, parent=parent)


def test_two_crossing_moves_at_once_leave_one_done_and_no_cycle(world):
    for n in range(ROUNDS):
        a, b = _district(world, 2 * n), _district(world, 2 * n + 1)
        school = services.organization_create(
            actor=world.staff, full_name="Школа", short_name="Школа", parent=a
        )

        outcomes = race(partial(_move, world, a.pk, b.pk), partial(_move, world, b.pk, a.pk))
        assert outcomes == ["ok", "refused"], n
        a, b, school = (Organization.objects.get(pk=o.pk) for o in (a, b, school))
        assert (a.parent_id == b.pk) != (b.parent_id == a.pk)
        for organization in (a, b, school):
            assert organization.path == f"{organization.parent.path}{organization.pk}/"


def test_a_school_added_while_its_district_moves_gets_the_moved_path(world):
    for n in range(ROUNDS):
        district, target = _district(world, 2 * n), _district(world, 2 * n + 1)
        name = f"Школа {n}"
        outcomes = race(
            partial(_add, world, district.pk, name), partial(_move, world, district.pk, target.pk)
        )
        assert outcomes == ["ok", "ok"], n
        school = Organization.objects.get(short_name=name)
        moved = Organization.objects.get(pk=district.pk)
        assert moved.path == f"{target.path}{district.pk}/"
        assert school.path == f"{moved.path}{school.pk}/", n


def test_two_confirms_of_one_onboarding_file_at_once_leave_exactly_one_result(world):
    from organizations.onboarding import services as onboarding
    from tests.organizations.test_onboarding import workbook

    for n in range(ROUNDS):
        data = workbook(
            organizations=[{"full_name": f"Школа гонки {n}", "parent": "ДО"}],
            people=[{"full_name": "Гонкин Иван", "email": f"race{n}@example.org",
                     "organization": f"Школа гонки {n}", "role": "координатор"}],
        )  # fmt: skip
        upload = onboarding.onboarding_upload_create(actor=world.staff, file_name="a.xlsx", data=data)
        confirm = partial(onboarding.onboarding_confirm, actor=world.staff, token=upload.token)
        assert race(confirm, confirm) == ["ok", "refused"], n  # the first queued the apply, in-process
        assert Organization.objects.filter(short_name=f"Школа гонки {n}").count() == 1
        assert Organization.history.filter(short_name=f"Школа гонки {n}").count() == 1


def test_two_applies_of_one_onboarding_file_at_once_write_it_once(world):
    """A task delivered twice (or run twice at once) writes the file once."""
    from organizations.onboarding import services as onboarding
    from tests.organizations.test_onboarding import workbook

    for n in range(ROUNDS):
        data = workbook(organizations=[{"full_name": f"Школа доставки {n}", "parent": "ДО"}])
        upload = onboarding.onboarding_upload_create(actor=world.staff, file_name="a.xlsx", data=data)
        apply = partial(onboarding.onboarding_apply, upload_id=upload.pk)
        assert race(apply, apply) == ["ok", "refused"], n
        assert Organization.objects.filter(short_name=f"Школа доставки {n}").count() == 1
