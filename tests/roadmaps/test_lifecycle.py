"""Approved means approved: editions, the archive and cancelled checkpoints, through the real views."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizations.scope import user_scope
from reports.services import deadline_reminders_send
from roadmaps import selectors, services
from roadmaps.models import Activity, Checkpoint, CheckpointTransition, Revision, RevisionChange, Roadmap
from roadmaps.services.lifecycle import RoadmapLocked
from tests import factories

DUE = datetime.date(2025, 3, 31)


@pytest.fixture
def archived(world) -> Roadmap:
    services.roadmap_archive(actor=world.staff, roadmap=world.roadmap, reason="План завершён")
    world.roadmap.refresh_from_db()
    return world.roadmap


def _activity_post(**extra) -> dict:
    return {"number": "9.", "title": "Новое мероприятие", "deadline_text": "Май 2025 г.", **extra}


def test_a_coordinator_cannot_report_on_an_archived_roadmap(client, world, archived):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]),
        {"actual_date": "20.03.2025", "result": "Сделано"},
    )
    assert response.status_code == 403
    assert "в архиве" in response.content.decode()
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == Checkpoint.Status.PLANNED
    assert not CheckpointTransition.objects.filter(checkpoint=world.checkpoint).exists()


def test_staff_can_neither_edit_nor_verify_an_archived_roadmap(client, world, archived):
    client.force_login(world.staff)
    activity = world.checkpoint.activity
    for method, name, pk in [
        ("get", "roadmaps:activity-update", activity.pk),
        ("post", "roadmaps:activity-update", activity.pk),
        ("post", "roadmaps:activity-create", archived.pk),
        ("post", "roadmaps:roadmap-update", archived.pk),
        ("post", "roadmaps:section-create", archived.pk),
        ("post", "roadmaps:checkpoint-accept", world.checkpoint.pk),
        ("post", "roadmaps:roadmap-archive", archived.pk),
    ]:
        response = getattr(client, method)(reverse(name, args=[pk]), _activity_post(title="Изменено"))
        assert response.status_code == 403, (method, name)
    activity.refresh_from_db()
    assert activity.title != "Изменено" and Activity.objects.filter(roadmap=archived).count() == 1
    page = client.get(reverse("roadmaps:roadmap-detail", args=[archived.pk])).content.decode()
    assert "в архиве" in page and "Вернуть из архива" in page and "Добавить мероприятие" not in page


def test_an_archived_roadmaps_reports_leave_the_verification_queue(world):
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=world.checkpoint, actual_date=DUE, result="Да"
    )
    assert list(selectors.verification_queue(scope=user_scope(world.staff))) == [world.checkpoint]
    services.roadmap_archive(actor=world.staff, roadmap=world.roadmap)
    assert not selectors.verification_queue(scope=user_scope(world.staff)).exists()


def test_an_archived_roadmap_leaves_my_checkpoints_reminders_and_the_scope_dashboard(world, archived):
    groups = selectors.my_checkpoints(scope=user_scope(world.coordinator), today=datetime.date(2025, 4, 10))
    assert sum(group.count for group in groups) == 0
    mail.outbox.clear()
    assert deadline_reminders_send(today=datetime.date(2025, 4, 10)) == 0
    dashboard = selectors.scope_dashboard(
        visible=Roadmap.objects.visible_in(user_scope(world.staff)), as_of=datetime.date(2025, 4, 10)
    )
    assert dashboard.totals.overdue == 0 and dashboard.totals.total == 0


def test_staff_bring_a_roadmap_back_from_the_archive_with_a_reason(client, world, archived):
    client.force_login(world.staff)
    refused = client.post(reverse("roadmaps:roadmap-unarchive", args=[archived.pk]), {"reason": " "})
    assert refused.status_code == 302
    archived.refresh_from_db()
    assert archived.status == Roadmap.Status.ARCHIVED
    client.post(reverse("roadmaps:roadmap-unarchive", args=[archived.pk]), {"reason": "Продлён срок"})
    archived.refresh_from_db()
    assert archived.status == Roadmap.Status.APPROVED
    latest = archived.history.first()
    assert latest.history_user == world.staff and "Продлён срок" in latest.history_change_reason


def test_an_approved_roadmap_without_an_edition_refuses_changes_and_says_how(client, world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    client.force_login(world.staff)
    response = client.post(reverse("roadmaps:activity-create", args=[roadmap.pk]), _activity_post())
    assert response.status_code == 403
    assert "Откройте редакцию" in response.content.decode()
    assert not roadmap.activities.exists()
    with pytest.raises(RoadmapLocked):
        services.activity_create(actor=world.staff, roadmap=roadmap, number="1.", title="В обход формы")


def test_changes_within_an_edition_are_listed_on_it(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("roadmaps:activity-create", args=[world.roadmap.pk]), _activity_post())
    assert response.status_code == 302
    edition = world.roadmap.revisions.get(status=Revision.Status.DRAFT)
    (change,) = RevisionChange.objects.filter(revision=edition)
    assert change.subject == "Мероприятие 9." and change.actor == world.staff
    assert "«Новое мероприятие»" in change.description and "«Май 2025 г.»" in change.description


def test_a_draft_roadmap_changes_freely_and_is_not_reported_on(world):
    activity = factories.ActivityFactory(roadmap=world.draft, number="1.")
    services.section_create(actor=world.staff, roadmap=world.draft, title="Раздел")
    assert not RevisionChange.objects.exists()
    checkpoint = factories.CheckpointFactory(activity=activity)
    with pytest.raises(RoadmapLocked):
        services.checkpoint_report(
            actor=world.coordinator, checkpoint=checkpoint, actual_date=DUE, result="Сделано"
        )


def test_only_one_edition_is_open_at_a_time(world):
    roadmap = factories.RoadmapFactory(owner=world.region_org, edition=False)
    services.revision_open(actor=world.staff, roadmap=roadmap, date=DUE, summary="Первая")
    with pytest.raises(Exception, match="уже открыта редакция"):
        services.revision_open(actor=world.staff, roadmap=roadmap, date=DUE, summary="Вторая")


def test_a_cancelled_checkpoint_leaves_the_counts_and_comes_back_as_it_was(world):
    checkpoint = world.checkpoint
    with pytest.raises(Exception, match="причину"):
        services.checkpoint_cancel(actor=world.staff, checkpoint=checkpoint, reason="")
    services.checkpoint_cancel(
        actor=world.staff, checkpoint=checkpoint, reason="Мероприятие отменено приказом"
    )
    checkpoint.refresh_from_db()
    assert checkpoint.status == Checkpoint.Status.CANCELLED
    assert checkpoint.cancel_reason == "Мероприятие отменено приказом"
    today = timezone.localdate()
    assert selectors.roadmap_dashboard(roadmap=world.roadmap, as_of=today).totals.total == 0
    # As of a day before the cancellation it was still there, overdue.
    before = selectors.roadmap_dashboard(roadmap=world.roadmap, as_of=datetime.date(2025, 4, 10)).totals
    assert before.overdue == 1
    restored = services.checkpoint_restore(actor=world.staff, checkpoint=checkpoint, reason="Приказ отменён")
    assert restored.status == Checkpoint.Status.PLANNED and restored.cancel_reason == ""
    statuses = list(checkpoint.transitions.order_by("at", "pk").values_list("status", flat=True))
    assert statuses == ["cancelled", "planned"]
    assert (
        selectors.roadmap_dashboard(roadmap=world.roadmap, as_of=datetime.date(2025, 4, 10)).totals.overdue
        == 1
    )


def test_an_accepted_checkpoint_cannot_be_cancelled(world):
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=world.checkpoint, actual_date=DUE, result="Да"
    )
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)
    with pytest.raises(Exception, match="Нельзя отменить"):
        services.checkpoint_cancel(actor=world.staff, checkpoint=world.checkpoint, reason="Ошибка")
