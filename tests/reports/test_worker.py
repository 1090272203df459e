import datetime
import time

import pytest
from django.conf import settings

from config.celery import app
from reports.builders import ReportScope
from reports.models import ReportRun
from reports.services import report_run_request

pytestmark = pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER,
    reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
)


@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed data
def test_report_run_travels_through_the_broker_to_a_real_worker(real_broker, filled, world):
    from celery.contrib.testing.worker import start_worker

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        run = report_run_request(
            actor=world.analyst,
            kind="monitoring",
            fmt="xlsx",
            scope=ReportScope(roadmap_id=filled.roadmap.pk),
            as_of=datetime.date(2025, 4, 1),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            time.sleep(0.2)
    assert run.status == ReportRun.Status.DONE, run.error
    assert run.attempts == 1 and run.sha256
