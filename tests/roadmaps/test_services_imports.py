"""Uploads for import: parsed once by the task, limits applied, progress kept, expired ones swept."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from roadmaps import tasks
from roadmaps.models import ImportUpload
from roadmaps.services.imports import (
    import_upload_create,
    import_upload_discard,
    import_upload_parse,
    import_upload_parsed,
    import_uploads_expire,
)

pytestmark = pytest.mark.django_db

PLAN = "\n".join(
    ["План мероприятий на 2025 год", "№\tМероприятие\tСрок\tОтветственный"]
    + [f"{n}\tСеминар для педагогов № {n}\tМарт 2025 года\tОтдел образования" for n in range(1, 41)]
).encode()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _create(world, data: bytes = PLAN, name: str = "план.txt") -> ImportUpload:
    return import_upload_create(actor=world.staff, owner=world.region_org, file_name=name, data=data)


def test_an_upload_is_kept_and_queued_without_being_parsed(world):
    upload = _create(world)

    assert upload.status == ImportUpload.Status.QUEUED
    assert upload.parsed == "" and upload.progress == 0
    assert default_storage.open(upload.stored_name).read() == PLAN
    assert upload.expires_at - timezone.now() > datetime.timedelta(hours=23)


def test_the_upload_is_parsed_once_into_the_stored_result(world):
    upload = _create(world)

    assert import_upload_parse(upload_id=upload.pk) == "ready"

    upload.refresh_from_db()
    assert upload.progress == 100
    default_storage.delete(upload.stored_name)  # the preview reads the stored result, never the file
    _upload, parsed = import_upload_parsed(user=world.staff, token=upload.token)
    assert len(parsed.activities) == 40
    assert parsed.activities[0].title == "Семинар для педагогов № 1"


def test_a_second_delivery_of_the_task_does_not_parse_again(world):
    upload = _create(world)
    import_upload_parse(upload_id=upload.pk)
    default_storage.delete(upload.stored_name)

    assert import_upload_parse(upload_id=upload.pk) == "ready"
    assert len(import_upload_parsed(user=world.staff, token=upload.token)[1].activities) == 40


def test_a_file_past_the_row_limit_is_refused_with_the_limit_in_the_message(world, settings):
    settings.IMPORT_MAX_ROWS = 10
    upload = _create(world)

    assert import_upload_parse(upload_id=upload.pk) == "refused"

    upload.refresh_from_db()
    assert upload.parsed == ""
    assert "строк в файле — не меньше 11, предел импорта — 10" in upload.refusal


def test_an_unreadable_file_is_refused_with_the_readers_message(world):
    upload = _create(world, "Уважаемые коллеги! Просим направить отчёт.".encode(), "письмо.txt")

    tasks.parse_import_upload.delay(upload.pk)  # eager here: the task only calls the service

    upload.refresh_from_db()
    assert upload.status == ImportUpload.Status.REFUSED
    assert upload.refusal == "В файле не найдена таблица мероприятий."


def test_a_file_that_keeps_killing_its_worker_is_refused_instead_of_parsed_forever(world):
    upload = _create(world)
    # Three deliveries started parsing and never finished (the worker was killed each time).
    ImportUpload.objects.filter(pk=upload.pk).update(status=ImportUpload.Status.PARSING, attempts=3)

    assert import_upload_parse(upload_id=upload.pk) == "refused"

    upload.refresh_from_db()
    assert upload.refusal.startswith("Разбор файла прерывался несколько раз")


def test_a_file_missing_from_storage_is_refused_rather_than_left_waiting(world):
    upload = _create(world)
    default_storage.delete(upload.stored_name)

    assert import_upload_parse(upload_id=upload.pk) == "refused"
    upload.refresh_from_db()
    assert "загрузите его ещё раз" in upload.refusal


def test_an_upload_cancelled_before_its_turn_is_simply_gone(world):
    upload = _create(world)
    import_upload_discard(actor=world.staff, token=upload.token)

    assert import_upload_parse(upload_id=upload.pk) == "gone"


def test_discarding_removes_the_record_and_its_file_at_once(world, django_capture_on_commit_callbacks):
    upload = _create(world)

    with django_capture_on_commit_callbacks(execute=True):
        import_upload_discard(actor=world.staff, token=upload.token)

    assert not ImportUpload.objects.filter(pk=upload.pk).exists()
    assert not default_storage.exists(upload.stored_name)


def test_someone_elses_token_discards_nothing(world):
    upload = _create(world)

    import_upload_discard(actor=world.outsider, token=upload.token)

    assert ImportUpload.objects.filter(pk=upload.pk).exists()


def test_the_sweeper_deletes_expired_uploads_and_their_files_and_keeps_fresh_ones(
    world, django_capture_on_commit_callbacks
):
    fresh, abandoned, parsed = _create(world), _create(world), _create(world)
    import_upload_parse(upload_id=parsed.pk)
    past = timezone.now() - datetime.timedelta(minutes=1)
    ImportUpload.objects.filter(pk__in=[abandoned.pk, parsed.pk]).update(expires_at=past)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_import_uploads.delay().get() == 2

    assert list(ImportUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert default_storage.exists(fresh.stored_name)
    assert not default_storage.exists(abandoned.stored_name)
    assert not default_storage.exists(parsed.stored_name)


def test_a_day_after_upload_the_sweeper_takes_even_a_parsed_upload_nobody_confirmed(world):
    upload = _create(world)
    import_upload_parse(upload_id=upload.pk)

    assert import_uploads_expire(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert import_uploads_expire(now=timezone.now() + datetime.timedelta(hours=24, seconds=1)) == 1
    assert not ImportUpload.objects.exists()


def test_the_sweeper_also_removes_old_files_no_upload_owns(world, tmp_path):
    import os

    kept = _create(world)
    old = default_storage.save("imports/7/0123456789abcdef0123456789abcdef/план.txt", ContentFile(b"x"))
    recent = default_storage.save("imports/7/fedcba9876543210fedcba9876543210/план.txt", ContentFile(b"y"))
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    os.utime(default_storage.path(kept.stored_name), (two_days_ago, two_days_ago))

    import_uploads_expire()

    assert not default_storage.exists(old)
    assert default_storage.exists(recent)  # may belong to an upload being saved right now
    assert default_storage.exists(kept.stored_name)  # its upload has not expired


def test_the_sweeper_is_scheduled_by_the_beat():
    from config.celery import app

    entries = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "roadmaps.tasks.expire_import_uploads" in entries


def test_an_expired_upload_is_gone_before_the_sweeper_runs(world):
    from django.http import Http404

    upload = _create(world)
    import_upload_parse(upload_id=upload.pk)
    ImportUpload.objects.filter(pk=upload.pk).update(expires_at=timezone.now())

    with pytest.raises(Http404):
        import_upload_parsed(user=world.staff, token=upload.token)


def test_uploads_expire_after_the_configured_hours(world, settings):
    settings.IMPORT_UPLOAD_HOURS = 2

    upload = _create(world)

    left = upload.expires_at - timezone.now()
    assert datetime.timedelta(hours=1, minutes=59) < left <= datetime.timedelta(hours=2)

