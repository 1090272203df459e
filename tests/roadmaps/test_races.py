"""Two people at the same moment: exactly one of two simultaneous transitions wins, nothing is doubled.

Two threads, each with its own database connection, start together at a barrier; PostgreSQL's row locks
(and a unique token for imports) decide. SQLite serialises whole transactions differently, so these run
on PostgreSQL only (as CI does).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from roadmaps import services
from roadmaps.importing import ImportRefused, parse_file
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Checkpoint, CheckpointTransition, Evidence, Roadmap
from roadmaps.services.lifecycle import RoadmapLocked
from tests import factories
from tests.concurrency import race

ROUNDS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def _race(*actions: Callable[[], object]) -> list[str]:
    return race(*actions, refused=(ValidationError, ImportRefused, RoadmapLocked))


def _fresh(checkpoint: Checkpoint) -> Checkpoint:
    return Checkpoint.objects.get(pk=checkpoint.pk)


def test_two_coordinators_reporting_one_checkpoint_at_once_leave_one_report(world):
    activity = world.checkpoint.activity
    for n in range(ROUNDS):
        checkpoint = factories.CheckpointFactory(activity=activity, sequence=n + 10)

        def report(who: str, checkpoint=checkpoint) -> None:
            services.checkpoint_report(
                actor=world.coordinator,
                checkpoint=_fresh(checkpoint),
                actual_date=world.checkpoint.planned_due,
                result=f"Отчёт {who}",
                url=f"https://example.org/{who}",
            )

        assert _race(lambda: report("a"), lambda: report("b")) == ["ok", "refused"], n
        checkpoint.refresh_from_db()
        assert checkpoint.status == Checkpoint.Status.REPORTED
        evidence = list(Evidence.objects.filter(checkpoint=checkpoint).values_list("url", flat=True))
        assert evidence == [f"https://example.org/{checkpoint.result.removeprefix('Отчёт ')}"]
        assert CheckpointTransition.objects.filter(checkpoint=checkpoint).count() == 1


def test_accepting_and_returning_one_report_at_once_leave_one_decision(world):
    activity = world.checkpoint.activity
    for n in range(ROUNDS):
        checkpoint = factories.CheckpointFactory(
            activity=activity, sequence=n + 10, status=Checkpoint.Status.REPORTED,
            actual_date=world.checkpoint.planned_due, result="Сделано",
        )  # fmt: skip
        accept = lambda checkpoint=checkpoint: services.checkpoint_accept(  # noqa: E731
            actor=world.staff, checkpoint=_fresh(checkpoint)
        )
        give_back = lambda checkpoint=checkpoint: services.checkpoint_return(  # noqa: E731
            actor=world.staff, checkpoint=_fresh(checkpoint), reason="Нет протокола"
        )
        assert _race(accept, give_back) == ["ok", "refused"], n
        checkpoint.refresh_from_db()
        assert checkpoint.status in (Checkpoint.Status.DONE, Checkpoint.Status.RETURNED)
        decisions = CheckpointTransition.objects.filter(checkpoint=checkpoint).exclude(status="reported")
        assert list(decisions.values_list("status", flat=True)) == [checkpoint.status]


def test_two_confirms_of_one_import_create_one_roadmap(world):
    document = (
        "№\tМероприятие\tСроки\tОтветственный\n1\tСовещание\t01.02.2024\tДО\n2\tСеминар\tМарт 2024 г.\tДО\n"
    )
    parsed = parse_file(document.encode(), "план.tsv")
    for n in range(ROUNDS):
        token = f"{n:032x}"
        before = Roadmap.objects.count()

        def confirm(token=token) -> None:
            roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org, token=token)

        assert _race(confirm, confirm) == ["ok", "refused"], n
        assert Roadmap.objects.count() == before + 1


def test_two_clicks_on_archive_at_once_archive_once(world):
    for n in range(ROUNDS):
        roadmap = factories.RoadmapFactory(owner=world.region_org)

        def archive(roadmap=roadmap) -> None:
            services.roadmap_archive(
                actor=world.staff, roadmap=Roadmap.objects.get(pk=roadmap.pk), reason="Итог"
            )

        assert _race(archive, archive) == ["ok", "refused"], n
        archived = roadmap.history.filter(status=Roadmap.Status.ARCHIVED)
        assert archived.count() == 1


def test_a_report_and_a_hand_removal_at_once_never_lose_the_report(world):
    activity = world.checkpoint.activity
    for n in range(ROUNDS):
        checkpoint = factories.CheckpointFactory(activity=activity, sequence=n + 10)

        def report(checkpoint=checkpoint) -> None:
            services.checkpoint_report(
                actor=world.coordinator, checkpoint=_fresh(checkpoint),
                actual_date=world.checkpoint.planned_due, result="Отчёт",
            )  # fmt: skip

        def remove(checkpoint=checkpoint) -> None:
            services.checkpoint_remove_by_hand(actor=world.staff, checkpoint=_fresh(checkpoint))

        assert _race(report, remove) == ["ok", "refused"], n
        left = Checkpoint.objects.filter(pk=checkpoint.pk).first()
        assert left is None or left.status == Checkpoint.Status.REPORTED, n


def test_two_staff_resolving_one_mismatch_at_once_resolve_it_once(world):
    for n in range(ROUNDS):
        activity = services.activity_create(
            actor=world.staff, roadmap=world.draft, number=f"8.{n + 1}.", title="Отчёт",
            deadline_text="до 1 марта 2025 г.",
        )  # fmt: skip
        Checkpoint.objects.filter(activity=activity).update(status=Checkpoint.Status.REPORTED)
        activity.refresh_from_db()
        services.activity_update(
            actor=world.staff, activity=activity, expected_version=activity.version,
            deadline_text="до 15 апреля 2025 г.",
        )  # fmt: skip
        mismatched = activity.checkpoints.exclude(schedule_mismatch="").get()

        def keep(mismatched=mismatched) -> None:
            services.checkpoint_mismatch_keep(actor=world.staff, checkpoint=_fresh(mismatched))

        def move(mismatched=mismatched) -> None:
            services.checkpoint_mismatch_move(actor=world.staff, checkpoint=_fresh(mismatched))

        assert _race(keep, move) == ["ok", "refused"], n
        assert not activity.checkpoints.exclude(schedule_mismatch="").exists(), n
        assert activity.checkpoints.filter(status=Checkpoint.Status.REPORTED).count() == 1, n
