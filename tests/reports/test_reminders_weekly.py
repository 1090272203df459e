import datetime

import pytest
from django.core import mail

from organizations.models import Membership, Organization
from reports.models import ReminderSettings, WeeklySummaryLog
from reports.services import weekly_overdue_summary_send
from roadmaps.models import Checkpoint, Roadmap
from roadmaps.services import period_close
from tests import factories

# Holidays and working Saturdays come from the migrated calendar (put back after a flush).
pytestmark = pytest.mark.usefixtures("production_calendar")

MONDAY = datetime.date(2025, 3, 31)


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def overdue(activity, day: int, *, sequence: int, **kwargs):
    return factories.CheckpointFactory(
        activity=activity, sequence=sequence, planned_due=datetime.date(2025, 3, day), **kwargs
    )


@pytest.fixture
def counted(world):
    """Hand-counted on 31.03.2025 (world.checkpoint is due that day: not overdue):

    ДО's roadmap: 1.1. (СОШ № 1) 01.03 and 10.03 overdue, 02.03 done; 3. (СОШ № 1 and СОШ № 2) 15.03;
      4. (nobody named: ДО itself) 20.03; 5. (СОШ № 1) 06.03 in a period closed 05.03–07.03.
    The district's roadmap (its school): 12.03; its draft and its archived roadmap: one overdue each.
    The foreign ministry's roadmap (МО itself): 11.03.

    ДО (its subtree): 5 checkpoints — СОШ № 1: 2+1 = 3, СОШ № 2: 1, ДО: 1, Школа района: 1.
    The district: 1 — Школа района: 1. МО: 1 — МО: 1.
    """
    first = world.checkpoint.activity
    overdue(first, 1, sequence=1)
    overdue(first, 10, sequence=2)
    overdue(first, 2, sequence=3, status=Checkpoint.Status.DONE, actual_date=datetime.date(2025, 3, 2))
    shared = factories.ActivityFactory(roadmap=world.roadmap, number="3.", title="Совместное")
    factories.ResponsibilityFactory(activity=shared, organization=world.school)
    factories.ResponsibilityFactory(activity=shared, organization=world.other_school, position=1)
    overdue(shared, 15, sequence=0)
    own = factories.ActivityFactory(roadmap=world.roadmap, number="4.", title="Своё")
    overdue(own, 20, sequence=0)
    closed = factories.ActivityFactory(roadmap=world.roadmap, number="5.", title="В закрытом периоде")
    factories.ResponsibilityFactory(activity=closed, organization=world.school)
    overdue(closed, 6, sequence=0)
    period_close(
        actor=world.staff,
        roadmap=world.roadmap,
        first_day=datetime.date(2025, 3, 5),
        last_day=datetime.date(2025, 3, 7),
        label="Неделя",
    )

    district = factories.OrganizationFactory(
        short_name="Управление района", kind=Organization.Kind.MUNICIPAL_AUTHORITY, parent=world.region_org
    )
    district_school = factories.OrganizationFactory(short_name="Школа района", parent=district)
    head = factories.UserFactory(username="district_head")
    Membership.objects.create(user=head, organization=district, role=Membership.Role.STAFF)
    for status, day in (
        (Roadmap.Status.APPROVED, 12),
        (Roadmap.Status.DRAFT, 13),
        (Roadmap.Status.ARCHIVED, 14),
    ):
        roadmap = factories.RoadmapFactory(owner=district, status=status, title=f"Район {status}")
        activity = factories.ActivityFactory(roadmap=roadmap, number="1.")
        factories.ResponsibilityFactory(activity=activity, organization=district_school)
        overdue(activity, day, sequence=0)

    foreign = factories.ActivityFactory(roadmap=world.foreign_roadmap, number="1.")
    factories.ResponsibilityFactory(activity=foreign, organization=world.foreign_org)
    overdue(foreign, 11, sequence=0)
    return district


def body_to(address: str) -> str:
    (message,) = [m for m in mail.outbox if address in m.to]
    return message.body


def test_the_weekly_summary_counts_what_is_overdue_in_each_authoritys_subtree(world, counted):
    assert weekly_overdue_summary_send(today=MONDAY) == 3
    region = body_to("staff@example.org")
    assert "Всего просрочено контрольных точек: 5." in region
    assert "- СОШ № 1: 3\n- ДО: 1\n- СОШ № 2: 1\n- Школа района: 1\n" in region
    assert "остальные" not in region
    assert f"https://portal.example.org/roadmaps/{world.roadmap.pk}/dashboard/" in region
    district = body_to("district_head@example.org")
    assert "Всего просрочено контрольных точек: 1." in district and "- Школа района: 1\n" in district
    assert "СОШ № 1" not in district
    foreign = body_to("outsider@example.org")
    assert "Всего просрочено контрольных точек: 1." in foreign and "- МО: 1\n" in foreign
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0] == "Просроченные контрольные точки: ДО — 5"
    assert dict(WeeklySummaryLog.objects.values_list("organization__short_name", "overdue")) == {
        "ДО": 5,
        "Управление района": 1,
        "МО": 1,
    }


def test_the_weekly_summary_goes_once_a_week(world, counted):
    assert weekly_overdue_summary_send(today=MONDAY) == 3
    assert weekly_overdue_summary_send(today=MONDAY) == 0
    assert weekly_overdue_summary_send(today=MONDAY + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 3
    assert weekly_overdue_summary_send(today=MONDAY + datetime.timedelta(days=7)) == 3
    assert WeeklySummaryLog.objects.filter(week_start=datetime.date(2025, 4, 7)).count() == 3


def test_the_top_twenty_organisations_are_listed_and_the_rest_summed(world):
    for n in range(1, 23):
        school = factories.OrganizationFactory(short_name=f"Школа {n:02}", parent=world.region_org)
        activity = factories.ActivityFactory(roadmap=world.roadmap, number=f"8.{n}.")
        factories.ResponsibilityFactory(activity=activity, organization=school)
        for sequence in range(2 if n <= 3 else 1):
            overdue(activity, 1 + sequence, sequence=sequence)
    weekly_overdue_summary_send(today=MONDAY)
    body = body_to("staff@example.org")
    assert "Всего просрочено контрольных точек: 25." in body
    assert "- Школа 01: 2\n- Школа 02: 2\n- Школа 03: 2\n- Школа 04: 1\n" in body
    assert "- Школа 20: 1\n" in body and "Школа 21" not in body and "Школа 22" not in body
    assert "- остальные организации (2): 2\n" in body


def test_the_summary_waits_for_the_weekday_and_a_working_day(world, counted):
    ReminderSettings(weekly_summary_weekday=ReminderSettings.Weekday.WEDNESDAY).save()
    assert weekly_overdue_summary_send(today=MONDAY) == 0
    assert weekly_overdue_summary_send(today=MONDAY + datetime.timedelta(days=2)) == 3


def test_a_summary_day_off_moves_it_to_the_next_working_day(world, counted):
    ReminderSettings().save()  # Monday
    assert weekly_overdue_summary_send(today=datetime.date(2025, 11, 3)) == 0  # off, moved from 01.11
    assert weekly_overdue_summary_send(today=datetime.date(2025, 11, 4)) == 0  # День народного единства
    assert weekly_overdue_summary_send(today=datetime.date(2025, 11, 5)) == 3
    assert weekly_overdue_summary_send(today=datetime.date(2025, 11, 6)) == 0


def test_authorities_without_active_staff_or_anything_overdue_get_nothing(world, counted):
    Membership.objects.filter(user__username="district_head").update(role=Membership.Role.COORDINATOR)
    world.outsider.is_active = False
    world.outsider.save()
    assert weekly_overdue_summary_send(today=MONDAY) == 1
    assert mail.outbox[0].to == ["staff@example.org"]
    Checkpoint.objects.filter(planned_due__lte=MONDAY).update(status=Checkpoint.Status.CANCELLED)
    assert weekly_overdue_summary_send(today=MONDAY + datetime.timedelta(days=7)) == 0


def test_both_reminder_tasks_run_daily_from_the_beat_schedule():
    from config.celery import app
    from reports import tasks

    assert tasks.send_weekly_overdue_summary.name == "reports.tasks.send_weekly_overdue_summary"
    daily = app.conf.beat_schedule["send-deadline-reminders"]
    weekly = app.conf.beat_schedule["send-weekly-overdue-summary"]
    assert daily["task"] == tasks.send_deadline_reminders.name
    assert weekly["task"] == tasks.send_weekly_overdue_summary.name
    assert (weekly["schedule"].hour, weekly["schedule"].minute) == ({7}, {30})


# Expected queries, whatever the number of authorities and organisations:
#   1. savepoint; 2. the rules' row (locked); 3. the production calendar's day; 4. the authorities not yet
#   summarised this week with their staff's addresses; 5. the overdue checkpoints; 6-7. the closed periods
#   and the checkpoints reopened in them; 8. insert the week's log; 9. release the savepoint
@pytest.mark.parametrize("count", [3, 30])
def test_the_weekly_summary_is_not_n_plus_one(world, count, django_assert_num_queries):
    ReminderSettings().save()
    period_close(
        actor=world.staff,
        organization=world.region_org,
        first_day=datetime.date(2025, 1, 1),
        last_day=datetime.date(2025, 1, 31),
        label="Январь",
    )
    for n in range(count):
        district = factories.OrganizationFactory(
            short_name=f"Район {n}", kind=Organization.Kind.MUNICIPAL_AUTHORITY, parent=world.region_org
        )
        Membership.objects.create(
            user=factories.UserFactory(username=f"head{n}"), organization=district, role=Membership.Role.STAFF
        )
        school = factories.OrganizationFactory(short_name=f"Школа {n}", parent=district)
        roadmap = factories.RoadmapFactory(owner=district, title=f"План района {n}")
        activity = factories.ActivityFactory(roadmap=roadmap, number="1.")
        factories.ResponsibilityFactory(activity=activity, organization=school)
        overdue(activity, 3, sequence=0)
    with django_assert_num_queries(9):
        assert weekly_overdue_summary_send(today=MONDAY) == count + 1
    assert f"Всего просрочено контрольных точек: {count}." in body_to("staff@example.org")
