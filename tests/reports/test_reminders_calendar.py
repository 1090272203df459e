import datetime

import pytest

from reports.models import ProductionCalendarDay, ReminderSettings
from reports.services.reminders import calendar_marks, is_working_day

# Holidays and working Saturdays come from the migrated calendar (put back after a flush).
pytestmark = pytest.mark.usefixtures("production_calendar")

D = datetime.date


@pytest.mark.parametrize(
    ("day", "marked", "working"),
    [
        (D(2025, 3, 28), {}, True),  # Friday
        (D(2025, 3, 29), {}, False),  # Saturday
        (D(2025, 3, 30), {}, False),  # Sunday
        (D(2025, 3, 31), {}, True),  # Monday
        (D(2025, 5, 8), {D(2025, 5, 8): False}, False),  # a Thursday marked off
        (D(2025, 11, 1), {D(2025, 11, 1): True}, True),  # a Saturday marked worked
        (D(2025, 11, 2), {D(2025, 11, 1): True}, False),  # marks of other days do not matter
        (D(2025, 3, 28), {D(2025, 3, 28): True}, True),  # a weekday marked worked stays worked
    ],
)
def test_is_working_day(day, marked, working):
    assert is_working_day(day, marked) is working


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 8), False),
        (D(2025, 1, 9), True),
        (D(2025, 2, 24), True),  # 23.02.2025 was moved to 08.05, not to the Monday
        (D(2025, 5, 2), False),
        (D(2025, 5, 8), False),
        (D(2025, 6, 13), False),
        (D(2025, 11, 1), True),
        (D(2025, 11, 3), False),
        (D(2025, 12, 31), False),
        (D(2026, 1, 9), False),
        (D(2026, 1, 12), True),
        (D(2026, 3, 9), False),
        (D(2026, 5, 11), False),
        (D(2026, 12, 31), False),
        (D(2027, 1, 8), False),
        (D(2027, 2, 23), False),
        (D(2027, 6, 14), False),
    ],
)
def test_the_migrated_production_calendar(db, day, working):
    assert is_working_day(day, calendar_marks(day, day)) is working


@pytest.mark.parametrize(("year", "working_days"), [(2025, 247), (2026, 247)])
def test_the_migrated_calendar_counts_the_official_working_days_of_a_year(db, year, working_days):
    first, last = D(year, 1, 1), D(year, 12, 31)
    marks = calendar_marks(first, last)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    assert sum(is_working_day(day, marks) for day in days) == working_days


def test_the_rules_default_until_saved_and_are_one_row(db):
    rules = ReminderSettings.current()
    assert (rules.days_before, rules.overdue_repeat_days, rules.quiet_on_days_off) == (7, 7, True)
    assert rules.weekly_summary_weekday == ReminderSettings.Weekday.MONDAY
    ReminderSettings(days_before=3).save()
    assert ReminderSettings.objects.count() == 1 and ReminderSettings.current().days_before == 3


# --- The admin -----------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw")


def test_a_superuser_changes_the_rules_in_the_admin_and_history_names_them(client, superuser):
    client.force_login(superuser)
    ReminderSettings.current()
    response = client.post(
        "/admin/reports/remindersettings/1/change/",
        {
            "days_before": "5",
            "overdue_repeat_days": "0",
            "quiet_on_days_off": "",
            "weekly_summary_weekday": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rules = ReminderSettings.current()
    assert (rules.days_before, rules.overdue_repeat_days, rules.quiet_on_days_off) == (5, 0, False)
    assert rules.weekly_summary_weekday == 2
    assert rules.history.latest().history_user == superuser
    assert client.get("/admin/reports/remindersettings/add/").status_code == 403
    assert client.get("/admin/reports/remindersettings/1/delete/").status_code == 403


def test_a_superuser_marks_a_calendar_day_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/reports/productioncalendarday/add/",
        {"date": "28.12.2030", "is_working": "on", "note": "Рабочая суббота"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = ProductionCalendarDay.objects.get(date=D(2030, 12, 28))
    assert day.is_working and day.history.latest().history_user == superuser
    assert client.get("/admin/reports/productioncalendarday/").status_code == 200


def test_the_rules_and_the_calendar_are_for_superusers_only(client, world):
    world.staff.is_staff = True
    world.staff.save()
    client.force_login(world.staff)
    for url in ("/admin/reports/remindersettings/", "/admin/reports/productioncalendarday/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_migrated_calendar_days_have_their_history(db):
    day = ProductionCalendarDay.objects.get(date=D(2025, 11, 1))
    assert day.is_working and day.history.get().history_type == "+"
