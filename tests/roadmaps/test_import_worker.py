"""A 200,000-row workbook through the real broker and a real worker on PostgreSQL: the upload answers at
once, the worker refuses the file at the row limit, and other people's pages answer meanwhile."""

import io
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from config.celery import app
from roadmaps.models import ImportUpload

ROWS = 200_000

pytestmark = [
    pytest.mark.skipif(
        settings.CELERY_TASK_ALWAYS_EAGER,
        reason="CELERY_BROKER_URL is not set: tasks run in-process, there is no broker to send through",
    ),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="DATABASE_URL is not PostgreSQL: the worker and the web share a real database here",
    ),
]


def huge_plan() -> bytes:
    """A plan of ROWS activities, written as scripts write workbooks (openpyxl write-only)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("План")
    sheet.append(["План мероприятий на 2025 год"])
    sheet.append(["№", "Мероприятие", "Срок", "Ответственный"])
    for n in range(1, ROWS + 1):
        sheet.append([n, f"Семинар для педагогов № {n}", "Март 2025 года", "Отдел образования"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed upload
def test_a_200000_row_upload_answers_at_once_and_is_refused_by_the_worker_at_the_row_limit(
    real_broker, world, settings, tmp_path
):
    from celery.contrib.testing.worker import start_worker

    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = tmp_path
    data = huge_plan()
    client, other = Client(), Client()
    client.force_login(world.staff)
    other.force_login(world.analyst)
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        started = time.monotonic()
        response = client.post(
            reverse("roadmaps:import-upload"),
            {"owner": world.region_org.pk, "document": SimpleUploadedFile("план.xlsx", data)},
        )
        answered_in = time.monotonic() - started
        assert response.status_code == 302
        upload = ImportUpload.objects.defer("parsed").get()
        assert upload.status in (ImportUpload.Status.QUEUED, ImportUpload.Status.PARSING)
        assert answered_in < 3, f"the upload took {answered_in:.1f} s: parsing must not run in the request"
        page = client.get(response["Location"])
        assert page.status_code == 200 and "<progress" in page.content.decode()

        seen, others = set(), []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            upload.refresh_from_db(fields=["status", "progress", "refusal"])
            if upload.is_finished:
                break
            seen.add(upload.progress)
            started = time.monotonic()
            assert other.get(reverse("roadmaps:roadmap-list")).status_code == 200
            others.append(time.monotonic() - started)
            time.sleep(0.2)

    assert upload.status == ImportUpload.Status.REFUSED, upload.refusal
    assert upload.refusal == (
        "Слишком большая таблица: строк в файле — 200\u00a0002, предел импорта — 60\u00a0000. "
        "Разделите таблицу на несколько файлов."
    )
    assert any(0 < percent < 100 for percent in seen), seen  # the bar moved while the worker read
    assert others, "the worker finished before another user's page could be asked for"
    assert max(others) < 2, others  # other people's pages answer while the big file is read
