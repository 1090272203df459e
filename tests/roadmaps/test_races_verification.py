"""A bulk decision and a single one on the same checkpoint at once: exactly one decision is recorded.

As tests/roadmaps/test_races.py: two threads with their own connections start at a barrier and
PostgreSQL's row locks decide, so these run on PostgreSQL only.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from roadmaps import services
from roadmaps.models import Checkpoint, CheckpointTransition
from roadmaps.services.lifecycle import RoadmapLocked
from tests import factories
from tests.concurrency import race

ROUNDS = 15

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def _reported(world, sequence: int) -> Checkpoint:
    return factories.CheckpointFactory(
        activity=world.checkpoint.activity, sequence=sequence, status=Checkpoint.Status.REPORTED,
        actual_date=world.checkpoint.planned_due, result="Сделано",
    )  # fmt: skip


def _decisions(checkpoint: Checkpoint) -> list[str]:
    return list(
        CheckpointTransition.objects.filter(checkpoint=checkpoint)
        .exclude(status="reported")
        .values_list("status", flat=True)
    )


def test_a_bulk_accept_and_a_single_return_at_once_leave_exactly_one_decision(world):
    for n in range(ROUNDS):
        contested, other = _reported(world, 10 + 2 * n), _reported(world, 11 + 2 * n)
        results = {}

        def bulk(contested=contested, other=other, results=results) -> None:
            results["bulk"] = services.checkpoints_accept(
                actor=world.staff, checkpoint_ids=[other.pk, contested.pk]
            )

        def single(contested=contested) -> None:
            services.checkpoint_return(
                actor=world.staff, checkpoint=Checkpoint.objects.get(pk=contested.pk), reason="Нет протокола"
            )

        outcome = race(bulk, single, refused=(ValidationError, RoadmapLocked))
        contested.refresh_from_db()
        other.refresh_from_db()
        assert other.status == "done", n
        assert _decisions(contested) == [contested.status], n
        if contested.status == "done":  # the bulk came first: the single return was refused
            assert outcome == ["ok", "refused"] and len(results["bulk"].decided) == 2, n
        else:  # the return came first: the bulk skipped it and said so
            assert contested.status == "returned" and outcome == ["ok", "ok"], n
            assert (len(results["bulk"].decided), results["bulk"].not_reported) == (1, 1), n


def test_two_overlapping_bulk_accepts_never_deadlock_and_decide_each_once(world):
    for n in range(ROUNDS):
        rows = [_reported(world, 100 + 4 * n + i) for i in range(4)]
        ids = [row.pk for row in rows]
        first = lambda ids=ids: services.checkpoints_accept(actor=world.staff, checkpoint_ids=ids)  # noqa: E731
        second = lambda ids=ids: services.checkpoints_accept(  # noqa: E731
            actor=world.staff, checkpoint_ids=list(reversed(ids))
        )
        assert race(first, second) == ["ok", "ok"], n
        for row in rows:
            assert _decisions(row) == ["done"], n
