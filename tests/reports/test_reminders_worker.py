import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from config.celery import app
from organizations.models import Membership
from reports.models import ReminderLog, ReminderSettings
from reports.tasks import send_deadline_reminders
from tests import factories

pytestmark = pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER,
    reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
)


@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed data
def test_the_reminder_task_sends_the_fallback_email_once_through_a_real_worker(real_broker, world, settings):
    from celery.contrib.testing.worker import start_worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ReminderSettings(quiet_on_days_off=False).save()  # whatever day of the week the test runs on
    Membership.objects.filter(organization=world.other_school).delete()
    world.other_school.email = "school2@example.org"
    world.other_school.save()
    activity = factories.ActivityFactory(roadmap=world.roadmap, number="5.", title="Отчёт СОШ № 2")
    factories.ResponsibilityFactory(activity=activity, organization=world.other_school)
    checkpoint = factories.CheckpointFactory(
        activity=activity, planned_due=timezone.localdate() + datetime.timedelta(days=2)
    )

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        # СОШ № 2 by its contact address, and СОШ № 1 (world.checkpoint, long overdue) by its coordinator
        assert send_deadline_reminders.delay().get(timeout=30) == 2
        assert send_deadline_reminders.delay().get(timeout=30) == 0
    (message,) = [m for m in mail.outbox if "school2@example.org" in m.to]
    assert message.to == ["school2@example.org"] and "СОШ № 2" in message.subject
    assert ReminderLog.objects.filter(checkpoint=checkpoint, stage="due_soon").count() == 1
