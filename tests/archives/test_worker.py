import time

import pytest
from django.conf import settings

from archives.models import RegionArchive
from archives.services import region_archive_request
from config.celery import app

pytestmark = pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER,
    reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
)


@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed data
def test_region_archive_travels_through_the_broker_to_a_real_worker(real_broker, region, world):
    from celery.contrib.testing.worker import start_worker

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        archive = region_archive_request(actor=world.staff, organization=world.region_org)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            archive.refresh_from_db()
            if archive.is_finished:
                break
            time.sleep(0.2)
    assert archive.status == RegionArchive.Status.DONE, archive.error
    assert archive.attempts == 1 and archive.sha256 and archive.counts["evidence"] == 2
