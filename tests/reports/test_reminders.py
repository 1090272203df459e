import datetime

import pytest
from django.core import mail

from organizations.models import Membership
from reports.models import ReminderLog, ReminderSettings
from reports.services import deadline_reminders_send
from roadmaps.models import Checkpoint, Roadmap
from roadmaps.services import checkpoints_reopen, period_close, period_reopen
from tests import factories

# Holidays and working Saturdays come from the migrated calendar (put back after a flush).
pytestmark = pytest.mark.usefixtures("production_calendar")

TODAY = datetime.date(2025, 3, 28)  # a Friday


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


def only_world_checkpoint(world):
    """An activity of СОШ № 2 due like world.checkpoint, for the recipient tests."""
    activity = factories.ActivityFactory(roadmap=world.roadmap, number="5.", title="Отчёт СОШ № 2")
    factories.ResponsibilityFactory(activity=activity, organization=world.other_school)
    return factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 31))


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_each_organisations_coordinators_get_one_digest_of_due_soon_and_overdue(world, due):
    assert deadline_reminders_send(today=TODAY) == 1
    (message,) = mail.outbox
    assert sorted(message.to) == ["coordinator2@example.org", "coordinator@example.org"]
    assert "СОШ № 1" in message.subject and "просрочено 1" in message.subject
    assert "Просрочено:" in message.body and "01.03.2025" in message.body
    assert "Срок приближается (в ближайшие дни: 7):" in message.body and "31.03.2025" in message.body
    assert "30.06.2025" not in message.body and "02.03.2025" not in message.body
    assert "https://portal.example.org/my/" in message.body
    assert set(ReminderLog.objects.values_list("checkpoint_id", "stage", "sent_on")) == {
        (world.checkpoint.pk, "due_soon", TODAY),
        (due.pk, "overdue", TODAY),
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


# --- Who is reminded -----------------------------------------------------------------------------------


def test_an_organisation_without_coordinators_reminds_its_active_staff(world):
    only_world_checkpoint(world)
    factories.UserFactory(username="gone", is_active=False)
    Membership.objects.create(
        user=factories.UserFactory(username="school2_staff"),
        organization=world.other_school,
        role=Membership.Role.STAFF,
    )
    gone = factories.UserFactory(username="school2_gone", is_active=False)
    Membership.objects.create(user=gone, organization=world.other_school, role=Membership.Role.COORDINATOR)
    deadline_reminders_send(today=TODAY)
    (message,) = [m for m in mail.outbox if "СОШ № 2" in m.subject]
    assert message.to == ["school2_staff@example.org"]


def test_an_organisation_without_members_reminds_its_contact_address(world):
    only_world_checkpoint(world)
    world.other_school.email = "school2@example.org"
    world.other_school.save()
    deadline_reminders_send(today=TODAY)
    (message,) = [m for m in mail.outbox if "СОШ № 2" in m.subject]
    assert message.to == ["school2@example.org"]
    assert "31.03.2025" in message.body


def test_an_organisation_nobody_can_be_reached_at_gets_no_mail_and_the_others_still_do(world):
    checkpoint = only_world_checkpoint(world)
    assert deadline_reminders_send(today=TODAY) == 1
    assert [m.subject for m in mail.outbox] == ["Сроки контрольных точек: СОШ № 1"]
    assert ReminderLog.objects.filter(checkpoint=checkpoint).exists()


def test_the_departments_own_activities_remind_its_staff(world):
    """Activities the owner answers for (named, or nobody named) go to the owner's staff, not coordinators."""
    Membership.objects.create(
        user=factories.UserFactory(username="region_coordinator"),
        organization=world.region_org,
        role=Membership.Role.COORDINATOR,
    )
    named = factories.ActivityFactory(roadmap=world.roadmap, number="6.", title="Сам департамент")
    factories.ResponsibilityFactory(activity=named, organization=world.region_org)
    factories.CheckpointFactory(activity=named, planned_due=datetime.date(2025, 3, 20))
    nobody = factories.ActivityFactory(roadmap=world.roadmap, number="7.", title="Без ответственного")
    factories.CheckpointFactory(activity=nobody, planned_due=datetime.date(2025, 4, 2))
    deadline_reminders_send(today=TODAY)
    (message,) = sent_to("staff@example.org")
    assert message.to == ["staff@example.org"]
    assert "ДО" in message.subject and "выполняет по своим дорожным картам самостоятельно" in message.body
    assert "20.03.2025" in message.body and "02.04.2025" in message.body
    assert sent_to("region_coordinator@example.org") == []


def test_the_departments_own_activities_fall_back_to_its_contact_address(world):
    Membership.objects.filter(organization=world.region_org).delete()
    world.region_org.email = "do@example.org"
    world.region_org.save()
    nobody = factories.ActivityFactory(roadmap=world.roadmap, number="7.", title="Без ответственного")
    factories.CheckpointFactory(activity=nobody, planned_due=datetime.date(2025, 4, 2))
    deadline_reminders_send(today=TODAY)
    assert [m.to for m in sent_to("do@example.org")] == [["do@example.org"]]


# --- What is skipped -----------------------------------------------------------------------------------


def test_archived_and_draft_roadmaps_remind_nobody(world, due):
    Roadmap.objects.filter(pk=world.roadmap.pk).update(status=Roadmap.Status.ARCHIVED)
    assert deadline_reminders_send(today=TODAY) == 0
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_checkpoints_in_a_closed_period_are_skipped_unless_reopened(world, due):
    period = period_close(
        actor=world.staff,
        roadmap=world.roadmap,
        first_day=datetime.date(2025, 1, 1),
        last_day=datetime.date(2025, 3, 10),
        label="I кв. 2025 (часть)",
    )
    deadline_reminders_send(today=TODAY)
    (message,) = mail.outbox
    assert "01.03.2025" not in message.body and "31.03.2025" in message.body
    assert not ReminderLog.objects.filter(checkpoint=due).exists()

    checkpoints_reopen(actor=world.staff, period=period, checkpoints=[due], reason="Исправить отчёт")
    deadline_reminders_send(today=datetime.date(2025, 3, 31))
    assert "01.03.2025" in mail.outbox[-1].body


def test_a_period_closed_for_the_owners_line_skips_and_reopening_it_reminds_again(world, due):
    period = period_close(
        actor=world.staff,
        organization=world.region_org,
        first_day=datetime.date(2025, 3, 1),
        last_day=datetime.date(2025, 3, 31),
        label="Март 2025",
    )
    assert deadline_reminders_send(today=TODAY) == 0
    period_reopen(actor=world.staff, period=period, reason="Продлить приём отчётов")
    assert deadline_reminders_send(today=datetime.date(2025, 3, 31)) == 1


# --- Overdue repeat, quiet days, settings ----------------------------------------------------------------


def test_an_overdue_checkpoint_is_reminded_again_every_repeat_days(world):
    day0 = datetime.date(2025, 4, 1)  # world.checkpoint was due 31.03
    assert deadline_reminders_send(today=day0) == 1
    assert deadline_reminders_send(today=day0) == 0
    assert deadline_reminders_send(today=day0 + datetime.timedelta(days=3)) == 0
    assert deadline_reminders_send(today=day0 + datetime.timedelta(days=7)) == 1
    assert deadline_reminders_send(today=day0 + datetime.timedelta(days=8)) == 0
    assert list(
        ReminderLog.objects.filter(stage="overdue").order_by("sent_on").values_list("sent_on", flat=True)
    ) == [day0, day0 + datetime.timedelta(days=7)]


def test_repeat_zero_reminds_an_overdue_checkpoint_once(world):
    ReminderSettings(overdue_repeat_days=0).save()
    assert deadline_reminders_send(today=datetime.date(2025, 4, 1)) == 1
    assert deadline_reminders_send(today=datetime.date(2025, 4, 8)) == 0
    assert deadline_reminders_send(today=datetime.date(2025, 5, 20)) == 0


def test_the_repeat_interval_is_read_from_the_settings(world):
    ReminderSettings(overdue_repeat_days=3).save()
    assert deadline_reminders_send(today=datetime.date(2025, 4, 1)) == 1
    assert deadline_reminders_send(today=datetime.date(2025, 4, 3)) == 0
    assert deadline_reminders_send(today=datetime.date(2025, 4, 4)) == 1


def test_nothing_is_sent_on_a_weekend_and_monday_catches_up(world, due):
    assert deadline_reminders_send(today=datetime.date(2025, 3, 29)) == 0
    assert deadline_reminders_send(today=datetime.date(2025, 3, 30)) == 0
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    assert deadline_reminders_send(today=datetime.date(2025, 3, 31)) == 1
    (message,) = mail.outbox
    # due today (still «приближается») and the one overdue since 01.03: nothing was lost over the weekend
    assert "31.03.2025" in message.body and "01.03.2025" in message.body


def test_nothing_is_sent_on_a_holiday_of_the_production_calendar(world):
    activity = world.checkpoint.activity
    factories.CheckpointFactory(activity=activity, sequence=5, planned_due=datetime.date(2025, 5, 7))
    Checkpoint.objects.filter(pk=world.checkpoint.pk).update(planned_due=datetime.date(2025, 12, 30))
    assert deadline_reminders_send(today=datetime.date(2025, 5, 8)) == 0  # moved from 23.02
    assert deadline_reminders_send(today=datetime.date(2025, 5, 9)) == 0  # День Победы
    assert deadline_reminders_send(today=datetime.date(2025, 5, 12)) == 1
    assert "07.05.2025" in mail.outbox[0].body


def test_a_working_saturday_sends(world):
    factories.CheckpointFactory(
        activity=world.checkpoint.activity, sequence=5, planned_due=datetime.date(2025, 10, 31)
    )
    assert deadline_reminders_send(today=datetime.date(2025, 11, 1)) == 1


def test_with_quiet_days_switched_off_a_weekend_run_sends(world, due):
    ReminderSettings(quiet_on_days_off=False).save()
    assert deadline_reminders_send(today=datetime.date(2025, 3, 29)) == 1


def test_days_before_is_read_from_the_settings(world):
    ReminderSettings(days_before=2).save()
    assert deadline_reminders_send(today=TODAY) == 0  # due 31.03: three days ahead
    ReminderSettings(days_before=3).save()
    assert deadline_reminders_send(today=TODAY) == 1
    assert "в ближайшие дни: 3" in mail.outbox[0].body


# --- Query counts --------------------------------------------------------------------------------------


# Expected queries, whatever the number of checkpoints and organisations:
#   1. savepoint of the run's transaction (in the test's one); 2. the rules' row (locked)
#   3. the production calendar's day; 4. candidate checkpoints with their responsible organisations (and
#   when they were last reminded); 5-6. the closed periods in force for those roadmaps, and the checkpoints
#   reopened in them; 7. every address of those organisations (contact, coordinators, staff)
#   8. insert the reminder log (bulk, ignoring conflicts); 9. release the savepoint
@pytest.mark.parametrize("count", [3, 30])
def test_reminders_are_not_n_plus_one(world, due, count, django_assert_num_queries):
    ReminderSettings().save()
    period_close(
        actor=world.staff,
        roadmap=world.roadmap,
        first_day=datetime.date(2025, 1, 1),
        last_day=datetime.date(2025, 1, 31),
        label="Январь",
    )
    for n in range(count):
        org = factories.OrganizationFactory(parent=world.region_org, email=f"org{n}@example.org")
        if n % 3 == 0:
            role = Membership.Role.COORDINATOR
        elif n % 3 == 1:
            role = Membership.Role.STAFF
        else:
            role = None  # the contact address
        if role:
            Membership.objects.create(
                user=factories.UserFactory(username=f"c{n}"), organization=org, role=role
            )
        activity = factories.ActivityFactory(roadmap=world.roadmap, number=f"9.{n}.")
        factories.ResponsibilityFactory(activity=activity, organization=org)
        factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 30))
    with django_assert_num_queries(9):
        assert deadline_reminders_send(today=TODAY) == count + 1
    assert {tuple(m.to) for m in mail.outbox} >= {
        ("c0@example.org",),
        ("c1@example.org",),
        ("org2@example.org",),
    }
