"""A checkpoint's thread keeps the whole story of a report; an activity's thread is the department's."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Comment, Roadmap
from roadmaps.selectors.threads import checkpoint_thread
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 20)


def _pdf(name: str = "протокол.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 thread", content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _report(world, result: str, **extra):
    return services.checkpoint_report(
        actor=world.coordinator, checkpoint=world.checkpoint, actual_date=DAY, result=result, **extra
    )


def test_a_returned_and_re_reported_checkpoint_keeps_both_reports_the_reason_and_the_messages(world):
    _report(world, "Семинар проведён", file=_pdf("первый.pdf"))
    services.checkpoint_return(actor=world.staff, checkpoint=world.checkpoint, reason="Нет списка участников")
    services.comment_add(
        actor=world.coordinator, checkpoint=world.checkpoint, text="Список прилагаю", file=_pdf("список.pdf")
    )
    _report(world, "Семинар проведён, 40 участников")
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)

    entries = checkpoint_thread(checkpoint=world.checkpoint)

    assert [(e.kind, e.what, e.text) for e in entries] == [
        ("status", "Отчёт отправлен", "Семинар проведён"),
        ("evidence", "Приложен файл", ""),
        ("status", "Отчёт возвращён на доработку", "Нет списка участников"),
        ("comment", "Сообщение", "Список прилагаю"),
        ("status", "Отчёт отправлен", "Семинар проведён, 40 участников"),
        ("status", "Отчёт принят", ""),
    ]
    assert entries[1].evidence.returned_at is not None  # the first report's file stays, marked as returned
    assert entries[3].who == world.coordinator and entries[3].organization == world.school


def test_a_staff_message_is_signed_with_the_authority(world):
    comment = services.comment_add(actor=world.staff, checkpoint=world.checkpoint, text="Ждём отчёт")
    assert comment.organization == world.region_org
    assert comment.history.get().history_user == world.staff


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Напишите сообщение."), ("я" * 5001, "Сообщение длиннее 5000 знаков (5001); сократите его.")],
)
def test_an_empty_or_overlong_message_is_refused(world, text, message):
    with pytest.raises(ValidationError) as refused:
        services.comment_add(actor=world.coordinator, checkpoint=world.checkpoint, text=text)
    assert refused.value.message_dict["text"] == [message]
    assert not Comment.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(world):
    fake = SimpleUploadedFile("акт.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.comment_add(actor=world.coordinator, checkpoint=world.checkpoint, text="Акт", file=fake)
    assert not Comment.objects.exists()


def test_an_archived_roadmap_takes_no_messages(world):
    Roadmap.objects.filter(pk=world.roadmap.pk).update(status=Roadmap.Status.ARCHIVED)
    world.checkpoint.activity.roadmap.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=world.staff, checkpoint=world.checkpoint, text="Поздно")


def test_the_coordinator_posts_a_message_with_a_file_and_downloads_it(client, world):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])
    response = client.post(url, {"text": "Фотоотчёт во вложении", "file": _pdf("фото.pdf")})
    assert response.status_code == 302 and response["Location"].endswith("#thread-end")
    comment = Comment.objects.get()
    page = client.get(url).content.decode()
    assert "Фотоотчёт во вложении" in page and "фото.pdf" in page and "СОШ № 1" in page
    download = client.get(reverse("roadmaps:comment-download", args=[comment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 thread"
    assert download["Cache-Control"] == "private, no-store"


def test_a_refused_message_comes_back_with_what_was_typed(client, world):
    client.force_login(world.staff)
    url = reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])
    fake = SimpleUploadedFile("акт.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"text": "Уточните дату проведения", "file": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Уточните дату проведения" in page
    assert "Содержимое файла не соответствует его расширению." in page
    assert not Comment.objects.exists()


def test_staff_accept_from_the_thread(client, world):
    _report(world, "Семинар проведён")
    client.force_login(world.staff)
    page = client.get(reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])).content.decode()
    assert (
        "Отчёт ждёт проверки" in page
        and reverse("roadmaps:checkpoint-accept", args=[world.checkpoint.pk]) in page
    )
    client.force_login(world.analyst)
    page = client.get(reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])).content.decode()
    assert "Отчёт ждёт проверки" not in page and 'name="text"' not in page  # analysts read only


def test_the_report_form_of_a_returned_checkpoint_starts_empty_and_shows_the_old_report(client, world):
    _report(world, "Первый вариант отчёта")
    services.checkpoint_return(actor=world.staff, checkpoint=world.checkpoint, reason="Добавьте фото")
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:checkpoint-report", args=[world.checkpoint.pk]))
    form = response.context["form"]
    assert form["result"].value() in ("", None)
    page = response.content.decode()
    assert "Прежний отчёт" in page and "Первый вариант отчёта" in page and "Добавьте фото" in page


def test_the_department_discusses_an_activity_among_its_staff(client, world):
    client.force_login(world.staff)
    url = reverse("roadmaps:activity-thread", args=[world.checkpoint.activity_id])
    assert client.post(url, {"text": "Перенесём семинар на апрель?"}).status_code == 302
    assert "Перенесём семинар на апрель?" in client.get(url).content.decode()
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 403


def _thread_with(world, messages: int):
    for number in range(messages):
        services.comment_add(actor=world.coordinator, checkpoint=world.checkpoint, text=f"Сообщение {number}")
    factories.EvidenceFactory(checkpoint=world.checkpoint, url="https://example.org/a")


@pytest.mark.parametrize("messages", [2, 30])
def test_the_thread_page_reads_the_same_number_of_queries_however_long(
    client, world, django_assert_num_queries, messages
):
    _thread_with(world, messages)
    _report(world, "Семинар проведён")
    client.force_login(world.staff)
    url = reverse("roadmaps:checkpoint-thread", args=[world.checkpoint.pk])
    client.get(url)
    # Session, user and scope; the checkpoint; its evidence and responsible (the card); transitions,
    # reopenings, evidence and comments of the thread.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("Сообщение ") >= messages
