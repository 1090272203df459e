"""«Мои мероприятия»: reporting in place with htmx, evidence files, downloads and indicator values."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import Checkpoint, Evidence, IndicatorValue
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_my_checkpoints_show_overdue_with_the_return_reason(coordinator_client, world):
    world.checkpoint.status = Checkpoint.Status.RETURNED
    world.checkpoint.return_reason = "Приложите протокол"
    world.checkpoint.save()
    body = coordinator_client.get(reverse("roadmaps:my-checkpoints")).content.decode()
    assert "Просрочено" in body
    assert "Приложите протокол" in body
    assert "Провести семинар" in body


def test_empty_state_for_a_coordinator_without_checkpoints(client, world):
    client.force_login(world.outsider_coordinator)
    body = client.get(reverse("roadmaps:my-checkpoints")).content.decode()
    assert "Просроченных нет" in body
    assert "Нет показателей" in body


def test_report_form_is_swapped_in_place(coordinator_client, world):
    response = coordinator_client.get(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]), **HTMX
    )
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="cp-{world.checkpoint.pk}"' in body
    assert 'placeholder="ДД.ММ.ГГГГ"' in body


def test_coordinator_marks_a_checkpoint_done_with_a_file(coordinator_client, world):
    upload = SimpleUploadedFile("протокол.docx", _docx())
    response = coordinator_client.post(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]),
        {"actual_date": "28.03.2025", "result": "Семинар проведён, 40 участников", "file": upload},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Отчёт отправлен на проверку" in body
    assert "протокол.docx" in body
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == Checkpoint.Status.REPORTED
    assert world.checkpoint.reported_by == world.coordinator
    evidence = Evidence.objects.get(checkpoint=world.checkpoint)
    assert evidence.original_name == "протокол.docx"


def test_a_refused_report_keeps_what_was_typed(coordinator_client, world):
    upload = SimpleUploadedFile("скан.pdf", b"not really a pdf")
    response = coordinator_client.post(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]),
        {"actual_date": "28.03.2025", "result": "Семинар проведён", "file": upload},
        **HTMX,
    )
    body = response.content.decode()
    assert "Содержимое файла не соответствует его расширению" in body
    assert "Семинар проведён" in body
    assert 'value="28.03.2025"' in body
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == Checkpoint.Status.PLANNED  # the whole report rolled back


def test_future_actual_date_is_refused(coordinator_client, world):
    response = coordinator_client.post(
        reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]),
        {"actual_date": "01.01.2099", "result": "Готово"},
        **HTMX,
    )
    assert "не может быть в будущем" in response.content.decode()


def test_evidence_download_checks_who_may_see_the_checkpoint(client, world):
    evidence = Evidence(checkpoint=world.checkpoint, original_name="акт.pdf", content_type="application/pdf")
    evidence.file.save("act.pdf", SimpleUploadedFile("act.pdf", b"%PDF-1.4 data"), save=True)
    url = reverse("roadmaps:evidence-download", args=[evidence.pk])
    client.force_login(world.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_coordinator_enters_an_indicator_value_for_their_school(coordinator_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    prefix = f"ind{indicator.pk}"
    response = coordinator_client.post(
        reverse("roadmaps:indicator-value-set", args=[indicator.pk]),
        {f"{prefix}-organization": world.school.pk, f"{prefix}-year": 2025, f"{prefix}-value": "42,5"},
        **HTMX,
    )
    assert "Значение сохранено" in response.content.decode()
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.organization, value.year, str(value.value)) == (world.school, 2025, "42.50")


def test_coordinator_cannot_enter_a_value_for_another_school(coordinator_client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, activity=world.checkpoint.activity)
    prefix = f"ind{indicator.pk}"
    coordinator_client.post(
        reverse("roadmaps:indicator-value-set", args=[indicator.pk]),
        {f"{prefix}-organization": world.other_school.pk, f"{prefix}-year": 2025, f"{prefix}-value": "10"},
        **HTMX,
    )
    assert not IndicatorValue.objects.exists()


def test_the_overview_shows_twenty_rows_of_a_group_and_the_group_page_shows_them_all(
    coordinator_client, world
):
    activity = world.checkpoint.activity
    for n in range(24):
        factories.CheckpointFactory(
            activity=activity, sequence=n + 1, planned_due=world.checkpoint.planned_due, period_label=f"№{n}"
        )
    url = reverse("roadmaps:my-checkpoints")
    overview = coordinator_client.get(url).content.decode()
    overdue = overview[overview.index('id="group-overdue"') : overview.index('id="group-month"')]
    assert overdue.count('<article class="cp') == 20
    assert "Показать все (25)" in overdue
    whole = coordinator_client.get(url, {"group": "overdue"}).content.decode()
    assert whole.count('<article class="cp') == 25
