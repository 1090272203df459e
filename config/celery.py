import json
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import celeryd_init
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "enqueue-due-report-schedules": {
        "task": "reports.tasks.enqueue_due_schedules",
        "schedule": crontab(minute=15),
    },
    # Runs whose worker died or whose message the broker lost: retried (a few times) or failed.
    "sweep-report-runs": {
        "task": "reports.tasks.sweep_report_runs",
        "schedule": settings.REPORT_SWEEP_SECONDS,
        "options": {"expires": settings.REPORT_SWEEP_SECONDS},
    },
    # Daily; quiet on days off of the production calendar (reports.ReminderSettings), caught up next day.
    "send-deadline-reminders": {
        "task": "reports.tasks.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily too: it sends only on the configured weekday or the first working day after it, once a week.
    "send-weekly-overdue-summary": {
        "task": "reports.tasks.send_weekly_overdue_summary",
        "schedule": crontab(hour=7, minute=30),
    },
    # Notification e-mails are kicked after each commit; this pass sends what a down broker held back.
    "send-notification-emails": {
        "task": "organizations.tasks.send_notification_emails",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    "announce-period-closing": {
        "task": "roadmaps.tasks.announce_period_closing",
        "schedule": crontab(hour=6, minute=45),
    },
    "send-notification-digests": {
        "task": "organizations.tasks.send_notification_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    # The scope dashboard reads these counts; a run left queued past the next one is dropped, not piled up.
    "refresh-outcome-snapshots": {
        "task": "roadmaps.tasks.refresh_outcome_snapshots",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # Uploads for import nobody confirmed or cancelled within IMPORT_UPLOAD_HOURS: record and file.
    # Region data archives past ARCHIVE_KEEP_DAYS lose their file; builds stuck past the time limit fail.
    "sweep-region-archives": {
        "task": "archives.tasks.sweep_region_archives",
        "schedule": crontab(minute=50),
    },
    "expire-import-uploads": {
        "task": "roadmaps.tasks.expire_import_uploads",
        "schedule": crontab(minute=40),
    },
}


@app.task(name="config.ping")
def ping() -> str:
    """Round trip through the broker, used by /healthz-style checks and the worker test."""
    return "pong"


def broker_task_ids() -> set[str] | None:
    """Ids of the task messages the broker holds, waiting or taken by a worker and not yet acknowledged.

    None when the broker cannot be asked (tasks run in-process, or a transport other than Redis). With Redis
    a waiting message is in the queue's lists (one per priority step) and a taken one in the `unacked` hash.
    """
    if app.conf.task_always_eager or not app.conf.broker_url.startswith(("redis://", "rediss://")):
        return None
    queue = app.conf.task_default_queue
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        client = channel.client
        waiting = [
            raw
            for name in [queue, *client.scan_iter(match=f"{queue}\x06\x16*")]
            for raw in client.lrange(name, 0, -1)
        ]
        taken = client.hvals(channel.unacked_key)
    return ({_task_id(raw) for raw in waiting} | {_task_id(raw, taken=True) for raw in taken}) - {""}


def _task_id(raw: bytes, *, taken: bool = False) -> str:
    """The task id in a message as kombu's Redis transport stores it ("" for anything else)."""
    try:
        message = json.loads(raw)
        return str((message[0] if taken else message)["headers"]["id"])
    except (ValueError, TypeError, KeyError, IndexError):
        return ""


def apply_worker_statement_timeout(sender: type, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [f"{settings.WORKER_STATEMENT_TIMEOUT}s"])


@celeryd_init.connect
def use_worker_statement_timeout(**kwargs: object) -> None:
    """Long reports are built in the worker: its connections get WORKER_STATEMENT_TIMEOUT, not the web one.

    `celery worker` sends celeryd_init before its pool starts, so forked children inherit the receiver;
    workers embedded in tests (celery.contrib.testing) do not send it and keep the web settings.
    """
    connection_created.connect(apply_worker_statement_timeout)
    connections.close_all()  # a connection opened before now would keep the web timeout
