import datetime

import pytest
from django.core import mail

from organizations.models import Membership
from reports.models import ReminderLog
from reports.services import deadline_reminders_send
from roadmaps.models import Checkpoint
from tests import factories

TODAY = datetime.date(2025, 3, 28)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def due(world):
    """world.checkpoint (СОШ № 1) is due 31.03 — within a week; add an overdue one and some that are not."""
    activity = world.checkpoint.activity
    overdue = factories.CheckpointFactory(
        activity=activity, sequence=1, planned_due=datetime.date(2025, 3, 1)
    )
    factories.CheckpointFactory(
        activity=activity, sequence=2, planned_due=datetime.date(2025, 6, 30)
    )  # later
    factories.CheckpointFactory(
        activity=activity,
        sequence=3,
        planned_due=datetime.date(2025, 3, 2),
        status=Checkpoint.Status.REPORTED,
    )
    draft_activity = factories.ActivityFactory(roadmap=world.draft, number="1.")
    factories.ResponsibilityFactory(activity=draft_activity, organization=world.school)
    factories.CheckpointFactory(activity=draft_activity, planned_due=datetime.date(2025, 3, 29))
    second = factories.UserFactory(username="coordinator2")
    Membership.objects.create(user=second, organization=world.school, role=Membership.Role.COORDINATOR)
    return overdue


def test_each_organisations_coordinators_get_one_digest_of_due_soon_and_overdue(world, due):
    assert deadline_reminders_send(today=TODAY) == 1
    (message,) = mail.outbox
    assert sorted(message.to) == ["coordinator2@example.org", "coordinator@example.org"]
    assert "СОШ № 1" in message.subject and "просрочено 1" in message.subject
    assert "Просрочено:" in message.body and "01.03.2025" in message.body
    assert "Срок в ближайшие 7 дней:" in message.body and "31.03.2025" in message.body
    assert "30.06.2025" not in message.body and "02.03.2025" not in message.body
    assert set(ReminderLog.objects.values_list("checkpoint_id", "stage")) == {
        (world.checkpoint.pk, "due_soon"),
        (due.pk, "overdue"),
    }


def test_running_the_reminders_twice_sends_nothing_twice(world, due):
    deadline_reminders_send(today=TODAY)
    assert deadline_reminders_send(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_a_due_soon_checkpoint_is_reminded_again_once_it_is_overdue(world, due):
    deadline_reminders_send(today=TODAY)
    assert deadline_reminders_send(today=datetime.date(2025, 4, 1)) == 1
    assert "31.03.2025" in mail.outbox[-1].body and "Просрочено:" in mail.outbox[-1].body
    assert deadline_reminders_send(today=datetime.date(2025, 4, 2)) == 0


# Expected queries, whatever the number of checkpoints and organisations:
#   1. candidate checkpoints with their responsible organisations (and whether already reminded)
#   2. the coordinators' e-mail addresses of those organisations
#   3. insert the reminder log (bulk, ignoring conflicts)  (+ savepoint handling in the test transaction: 2)
def test_reminders_are_not_n_plus_one(world, due, django_assert_num_queries):
    for n in range(5):
        org = factories.OrganizationFactory(parent=world.region_org)
        Membership.objects.create(
            user=factories.UserFactory(username=f"c{n}"), organization=org, role=Membership.Role.COORDINATOR
        )
        activity = factories.ActivityFactory(roadmap=world.roadmap, number=f"9.{n}.")
        factories.ResponsibilityFactory(activity=activity, organization=org)
        factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 30))
    with django_assert_num_queries(5):
        assert deadline_reminders_send(today=TODAY) == 6
