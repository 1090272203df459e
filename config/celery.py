import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "enqueue-due-report-schedules": {
        "task": "reports.tasks.enqueue_due_schedules",
        "schedule": crontab(minute=15),
    },
    "send-deadline-reminders": {
        "task": "reports.tasks.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}


@app.task(name="config.ping")
def ping() -> str:
    """Round trip through the broker, used by /healthz-style checks and the worker test."""
    return "pong"
