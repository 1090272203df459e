import pytest
from django.conf import settings

from config.celery import app, ping

pytestmark = pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER,
    reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
)


def test_task_travels_through_the_broker_to_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"
        assert result.successful()
