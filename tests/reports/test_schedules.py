import datetime

import pytest
from django.core import mail

from reports.cadence import is_due, parse_day_month
from reports.models import ReportRun, ReportSchedule
from reports.tasks import enqueue_due_schedules


@pytest.mark.parametrize(
    ("cadence", "day", "quarter_month", "dates", "today", "due"),
    [
        ("monthly", 15, 3, [], datetime.date(2025, 5, 15), True),
        ("monthly", 15, 3, [], datetime.date(2025, 5, 16), False),
        ("monthly", 31, 3, [], datetime.date(2025, 2, 28), True),
        ("quarterly", 20, 3, [], datetime.date(2025, 6, 20), True),
        ("quarterly", 20, 3, [], datetime.date(2025, 5, 20), False),
        ("quarterly", 5, 1, [], datetime.date(2025, 10, 5), True),
        ("dates", 1, 3, ["18.06", "17.09"], datetime.date(2025, 9, 17), True),
        ("dates", 1, 3, ["18.06", "17.09"], datetime.date(2025, 9, 18), False),
        ("dates", 1, 3, ["29.02"], datetime.date(2025, 2, 28), True),
    ],
)
def test_schedule_is_due_on_its_days(cadence, day, quarter_month, dates, today, due):
    assert is_due(cadence=cadence, day=day, quarter_month=quarter_month, dates=dates, today=today) is due


@pytest.mark.parametrize("text", ["31.11", "18-06", "0.01", "18.13"])
def test_impossible_day_month_is_refused_in_russian(text):
    with pytest.raises(ValueError, match="«"):
        parse_day_month(text)


def test_due_schedules_are_enqueued_once_a_day_and_recipients_get_a_link(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.utils import timezone

    today = timezone.localdate()
    due = ReportSchedule.objects.create(
        roadmap=world.roadmap,
        kind="fioko_form",
        format="xlsx",
        cadence="dates",
        dates=[today.strftime("%d.%m")],
        recipients=f"fioko@example.org\n{world.staff.email}",
        created_by=world.staff,
    )
    ReportSchedule.objects.create(
        roadmap=world.roadmap,
        kind="monitoring",
        format="pdf",
        cadence="dates",
        dates=[(today + datetime.timedelta(days=1)).strftime("%d.%m")],
        created_by=world.staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_schedules.delay().get() == 1
    run = ReportRun.objects.get()
    assert run.schedule == due and run.status == "done" and run.as_of == today
    due.refresh_from_db()
    assert due.last_run_on == today
    # One mail per recipient: the portal user gets the login link, the outsider the file itself.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted(["fioko@example.org", world.staff.email])
    staff_mail, outsider_mail = by_address[world.staff.email], by_address["fioko@example.org"]
    assert f"https://portal.example.org/reports/runs/{run.pk}/download/" in staff_mail.body
    assert not staff_mail.attachments
    assert "/reports/runs/" not in outsider_mail.body and len(outsider_mail.attachments) == 1
    assert all("Отчёт готов" in message.subject for message in mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_schedules.delay().get() == 0
    assert ReportRun.objects.count() == 1 and len(mail.outbox) == 2


def test_schedule_of_a_creator_who_lost_access_enqueues_nothing(world):
    from django.utils import timezone

    world.staff.memberships.all().delete()
    ReportSchedule.objects.create(
        roadmap=world.roadmap,
        kind="fioko_form",
        format="xlsx",
        cadence="dates",
        dates=[timezone.localdate().strftime("%d.%m")],
        created_by=world.staff,
    )
    assert enqueue_due_schedules.delay().get() == 0
    assert not ReportRun.objects.exists()
