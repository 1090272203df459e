"""Notifications: exactly one per event and person, e-mailed as each person chose, never twice."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from organizations import notifications
from organizations.models import Membership, Notification, NotificationPreference
from roadmaps import services
from tests import factories

pytestmark = pytest.mark.django_db

Event = Notification.Event
Delivery = Notification.Delivery
DAY = datetime.date(2025, 3, 20)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the block queued for after its commit (the mail task, in-process here), as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _report(world, result: str = "Семинар проведён"):
    return services.checkpoint_report(
        actor=world.coordinator, checkpoint=world.checkpoint, actual_date=DAY, result=result
    )


def _return(world, reason: str = "Нет списка участников"):
    return services.checkpoint_return(actor=world.staff, checkpoint=world.checkpoint, reason=reason)


def test_a_returned_report_tells_the_school_once_and_mails_it_at_once(world, settings, committed):
    settings.SITE_URL = "https://portal.example.ru"
    _report(world)
    with committed():
        _return(world)

    returned = Notification.objects.get(event=Event.REPORT_RETURNED)
    assert returned.recipient == world.coordinator and returned.delivery == Delivery.EMAIL
    assert returned.body == "Причина: Нет списка участников" and returned.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    thread = reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])
    assert f"https://portal.example.ru{thread}" in mail.outbox[0].body
    assert not Notification.objects.filter(recipient=world.staff, event=Event.REPORT_RETURNED).exists()


def test_a_report_waits_for_the_owners_staff_in_their_daily_summary(world):
    _report(world)
    waiting = Notification.objects.get(event=Event.REPORT_WAITING)
    assert waiting.recipient == world.staff and waiting.delivery == Delivery.DIGEST
    assert mail.outbox == []  # the summary comes once a day

    assert notifications.send_digests() == 1
    assert notifications.send_digests() == 0  # a second pass (a retried task) sends nothing
    assert [m.to for m in mail.outbox] == [[world.staff.email]]
    assert "Отчёт ждёт проверки: 1.1. Провести семинар (I кв. 2025)" in mail.outbox[0].body


def test_the_staff_nearest_above_are_told_when_the_owner_has_none(world):
    district = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
    school = factories.OrganizationFactory(parent=district, region=district.region)
    roadmap = factories.RoadmapFactory(owner=district)
    activity = factories.ActivityFactory(roadmap=roadmap)
    factories.ResponsibilityFactory(activity=activity, organization=school)
    checkpoint = factories.CheckpointFactory(activity=activity, planned_due=DAY)
    coordinator = factories.UserFactory()
    Membership.objects.create(user=coordinator, organization=school, role=Membership.Role.COORDINATOR)

    services.checkpoint_report(actor=coordinator, checkpoint=checkpoint, actual_date=DAY, result="Готово")

    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.staff.pk]


@pytest.mark.parametrize(
    ("delivery", "mailed_now", "in_summary"),
    [(Delivery.PORTAL, 0, 0), (Delivery.EMAIL, 1, 0), (Delivery.DIGEST, 0, 1)],
)
def test_each_person_chooses_how_an_event_reaches_them(world, committed, delivery, mailed_now, in_summary):
    notifications.preferences_save(user=world.staff, choices={Event.REPORT_WAITING: delivery})
    with committed():
        _report(world)
    assert len(mail.outbox) == mailed_now
    assert notifications.send_digests() == in_summary
    assert Notification.objects.get(event=Event.REPORT_WAITING).delivery == delivery


def test_the_same_event_notified_twice_is_one_notification(world, committed):
    message = notifications.Message(event=Event.COMMENT, key="comment:1", title="Новое сообщение")
    with committed():
        notifications.notify(message=message, recipient_ids=[world.staff.pk, world.staff.pk])
    with committed():
        notifications.notify(message=message, recipient_ids=[world.staff.pk])
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_deactivated_account_is_not_notified(world):
    world.staff.is_active = False
    world.staff.save()
    _report(world)
    assert not Notification.objects.exists()


class FailingForOneAddress(EmailBackend):
    """The mail server refuses one address once, as a server under load does; the rest go through."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                self.refused.difference_update(message.to)
                raise OSError("421 Service not available")
        return super().send_messages(messages)


def test_a_retry_after_a_mail_server_error_sends_only_what_was_left(world, settings):
    # The task's first run is called here directly: in-process, its error would only be logged.
    settings.EMAIL_BACKEND = "tests.organizations.test_notifications.FailingForOneAddress"
    people = [factories.UserFactory(email=f"person{n}@school.ru") for n in range(3)]
    FailingForOneAddress.refused = {"person1@school.ru"}
    message = notifications.Message(event=Event.REPORT_RETURNED, key="return:1", title="Отчёт возвращён")
    notifications.notify(message=message, recipient_ids=[p.pk for p in people])
    with pytest.raises(OSError):
        notifications.send_immediate_emails()
    assert [m.to for m in mail.outbox] == [["person0@school.ru"]]

    assert notifications.send_immediate_emails() == 2  # the retry
    assert notifications.send_immediate_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "person0@school.ru",
        "person1@school.ru",
        "person2@school.ru",
    ]


def test_a_message_tells_everyone_who_took_part_in_the_thread_but_its_author(world):
    _report(world)
    _return(world)
    Notification.objects.all().delete()
    services.comment_add(actor=world.coordinator, checkpoint=world.checkpoint, text="Список приложу завтра")
    assert list(Notification.objects.values_list("recipient", "event")) == [(world.staff.pk, Event.COMMENT)]
    services.comment_add(actor=world.staff, checkpoint=world.checkpoint, text="Хорошо")
    assert Notification.objects.filter(recipient=world.coordinator, event=Event.COMMENT).count() == 1


def test_a_ready_report_is_announced_to_whoever_asked_for_it(world, committed):
    from reports.builders import ReportScope
    from reports.models import ReportRun
    from reports.services import report_run_request

    with committed():  # the run is built after its request commits (in-process here)
        run = report_run_request(
            actor=world.analyst,
            kind="monitoring",
            fmt="xlsx",
            scope=ReportScope(roadmap_id=world.roadmap.pk),
            as_of=DAY,
        )
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    ready = Notification.objects.get(event=Event.REPORT_READY)
    assert ready.recipient == world.analyst
    assert ready.url == reverse("reports:run-detail", args=[run.pk])


# The inbox


def test_the_inbox_opens_a_notification_marks_it_read_and_goes_to_its_page(client, world):
    _report(world)
    client.force_login(world.staff)
    assert client.get(reverse("organizations:notification-count")).content.decode().count(">1<") == 1
    page = client.get(reverse("organizations:notification-inbox")).content.decode()
    assert "Отчёт ждёт проверки" in page
    waiting = Notification.objects.get()
    response = client.get(reverse("organizations:notification-open", args=[waiting.pk]))
    assert response["Location"] == reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])
    waiting.refresh_from_db()
    assert waiting.read_at is not None
    assert "badge" not in client.get(reverse("organizations:notification-count")).content.decode()


def test_someone_elses_notification_is_not_found(client, world):
    _report(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("organizations:notification-open", args=[Notification.objects.get().pk]))
    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_all_read_at_once(client, world):
    for n in range(3):
        notifications.notify(
            message=notifications.Message(event=Event.COMMENT, key=f"c{n}", title=f"Сообщение {n}"),
            recipient_ids=[world.staff.pk],
        )
    client.force_login(world.staff)
    client.post(reverse("organizations:notification-read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_preferences_are_saved_and_a_refused_form_keeps_the_choices(client, world):
    client.force_login(world.coordinator)
    url = reverse("organizations:notification-preferences")
    choices = {event: Delivery.PORTAL for event in Event.values}
    assert client.post(url, {**choices, Event.COMMENT: Delivery.DIGEST}).status_code == 302
    assert notifications.preferences_for(world.coordinator)[Event.COMMENT] == Delivery.DIGEST
    assert client.post(url, {**choices, Event.COMMENT: Delivery.EMAIL}).status_code == 302
    saved = NotificationPreference.objects.get(user=world.coordinator, event=Event.COMMENT)
    assert [(h.delivery, h.history_user) for h in saved.history.order_by("history_id")] == [
        (Delivery.DIGEST, world.coordinator),
        (Delivery.EMAIL, world.coordinator),
    ]

    refused = client.post(url, {**choices, Event.COMMENT: Delivery.DIGEST, Event.REPORT_READY: "pigeon"})
    assert refused.status_code == 400
    assert refused.context["form"][Event.COMMENT].value() == Delivery.DIGEST
    assert notifications.preferences_for(world.coordinator)[Event.COMMENT] == Delivery.EMAIL


@pytest.mark.parametrize("count", [3, 40])
def test_the_inbox_reads_the_same_number_of_queries_however_full(
    client, world, django_assert_num_queries, count
):
    for n in range(count):
        notifications.notify(
            message=notifications.Message(event=Event.COMMENT, key=f"c{n}", title=f"Сообщение {n}"),
            recipient_ids=[world.staff.pk],
        )
    client.force_login(world.staff)
    url = reverse("organizations:notification-inbox")
    client.get(url)
    # Session, user, the navigation's roles, the page's count and rows, the unread count.
    with django_assert_num_queries(6):
        client.get(url)


# Through the real broker


@pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER,
    reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
)
@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed data
def test_a_return_reaches_the_coordinator_through_a_real_worker_once(real_broker, world):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        _report(world)
        mail.outbox.clear()
        _return(world)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not mail.outbox:
            time.sleep(0.2)
        from organizations.tasks import send_notification_emails

        assert send_notification_emails.delay().get(timeout=20) == 0  # a second run finds nothing to send
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert Notification.objects.filter(event=Event.REPORT_RETURNED).count() == 1


def test_a_moved_deadline_tells_the_responsible_coordinators(world):
    services.checkpoint_move_by_hand(
        actor=world.staff, checkpoint=world.checkpoint, due=datetime.date(2025, 4, 15), label="Апрель"
    )
    told = Notification.objects.get(event=Event.DEADLINE_CHANGED)
    assert told.recipient == world.coordinator
    assert told.body == "«I кв. 2025», срок 31.03.2025 → «Апрель», срок 15.04.2025"


def test_a_regenerated_schedule_lists_every_change_in_one_notice(world):
    activity = world.checkpoint.activity
    activity.deadline_text = "до 20 апреля 2025 г., до 20 октября 2025 г."
    activity.save()
    services.activity_sync_checkpoints(activity=activity, actor=world.staff)
    told = Notification.objects.get(event=Event.DEADLINE_CHANGED, recipient=world.coordinator)
    assert "20.04.2025" in told.body and "новая контрольная точка" in told.body


def test_a_drafts_dates_are_nobodys_deadlines_yet(world):
    activity = factories.ActivityFactory(roadmap=world.draft)
    factories.ResponsibilityFactory(activity=activity, organization=world.school)
    checkpoint = factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 31))
    services.checkpoint_move_by_hand(actor=world.staff, checkpoint=checkpoint, due=datetime.date(2025, 4, 15))
    assert not Notification.objects.exists()


def test_a_preference_for_another_event_leaves_this_one_at_its_default(world):
    notifications.preferences_save(user=world.staff, choices={Event.COMMENT: Delivery.PORTAL})
    _report(world)
    assert Notification.objects.get(event=Event.REPORT_WAITING).delivery == Delivery.DIGEST


# «Отчётный период скоро закроется»


@pytest.mark.parametrize(
    ("today", "closing"),
    [("2025-03-26", "I квартал 2025 г."), ("2025-03-25", None), ("2025-12-31", "IV квартал 2025 г.")],
)
def test_the_quarter_is_closing_within_the_notice_days(settings, today, closing):
    from roadmaps.services.notices import closing_quarter

    settings.PERIOD_CLOSING_NOTICE_DAYS = 5
    span = closing_quarter(datetime.date.fromisoformat(today))
    assert (span.label if span else None) == closing


def test_a_closing_quarter_tells_each_schools_coordinators_what_is_left_once(world):
    from roadmaps.tasks import announce_period_closing

    other = factories.CheckpointFactory(
        activity=world.checkpoint.activity, sequence=1, planned_due=datetime.date(2025, 2, 28)
    )
    services.checkpoint_report(actor=world.coordinator, checkpoint=other, actual_date=DAY, result="Да")
    draft_activity = factories.ActivityFactory(roadmap=world.draft)
    factories.ResponsibilityFactory(activity=draft_activity, organization=world.other_school)
    factories.CheckpointFactory(activity=draft_activity, planned_due=datetime.date(2025, 3, 31))
    Notification.objects.all().delete()

    assert announce_period_closing.delay("2025-03-27").get() == 1  # the draft's school is not asked
    assert announce_period_closing.delay("2025-03-28").get() == 1  # the next day's run adds nothing

    closing = Notification.objects.get()
    assert (closing.recipient, closing.event) == (world.coordinator, Event.PERIOD_CLOSING)
    assert closing.title == "I квартал 2025 г. заканчивается 31.03.2025"
    assert closing.body == "СОШ № 1: ещё не отмечено выполнение 1 контрольной точки со сроком в этом периоде."


def test_whoever_invited_a_person_hears_when_they_set_their_password(client, world, committed):
    from organizations import people

    with committed():
        people.person_invite(
            actor=world.staff, organization=world.school, email="new.teacher@school.ru",
            full_name="Петрова Мария Ивановна", role=Membership.Role.COORDINATOR,
        )  # fmt: skip
    invited = Membership.objects.get(user__email="new.teacher@school.ru").user
    form_page = client.get(people.invitation_path(invited), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Сложный-пароль-2025", "new_password2": "Сложный-пароль-2025"},
    )
    assert response.status_code == 302
    told = Notification.objects.get(event=Event.INVITATION_ACCEPTED)
    assert told.recipient == world.staff and told.delivery == Delivery.PORTAL
    assert told.title == "Приглашение принято: Мария Ивановна Петрова"
