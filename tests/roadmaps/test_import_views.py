import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import Roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, world, name: str, data: bytes):
    return client.post(
        reverse("roadmaps:import-upload"),
        {"owner": world.region_org.pk, "document": SimpleUploadedFile(name, data)},
    )


def test_staff_upload_previews_then_saves_on_confirmation(client, world, seeds_dir):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("001_*.txt"))
    before = Roadmap.objects.count()

    response = _upload(client, world, path.name, path.read_bytes())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "мероприятий: 29" in preview.content.decode()
    assert Roadmap.objects.count() == before  # nothing saved by the preview

    confirmed = client.post(response["Location"], {})
    roadmap = Roadmap.objects.latest("pk")
    assert confirmed["Location"] == reverse("roadmaps:roadmap-detail", args=[roadmap.pk])
    assert roadmap.activities.count() == 29
    assert roadmap.owner == world.region_org


def test_cancelled_import_saves_nothing_and_forgets_the_file(client, world, seeds_dir):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("000_*.txt"))
    location = _upload(client, world, path.name, path.read_bytes())["Location"]
    token = re.search(r"/import/([0-9a-f]+)/", location).group(1)

    client.post(reverse("roadmaps:import-cancel", args=[token]))

    assert client.get(location).status_code == 404
    assert not Roadmap.objects.filter(title__icontains="апробации").exists()


def test_a_file_that_is_not_a_table_is_refused_with_a_message(client, world):
    client.force_login(world.staff)
    before = Roadmap.objects.count()

    response = _upload(client, world, "письмо.txt", "Уважаемые коллеги! Просим направить отчёт.".encode())

    assert response.status_code == 200
    assert "В файле не найдена таблица мероприятий." in response.content.decode()
    assert Roadmap.objects.count() == before


def test_another_user_cannot_use_someones_pending_import(client, world, seeds_dir):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("000_*.txt"))
    location = _upload(client, world, path.name, path.read_bytes())["Location"]

    client.force_login(world.outsider)
    assert client.get(location).status_code == 404


def test_coordinators_and_analysts_may_not_import(client, world):
    for user in (world.coordinator, world.analyst):
        client.force_login(user)
        assert client.get(reverse("roadmaps:import-upload")).status_code == 403


def test_roadmap_downloads_as_xlsx_and_docx_for_those_who_see_it(client, world):
    client.force_login(world.analyst)
    for file_format in ("xlsx", "docx"):
        response = client.get(reverse("roadmaps:roadmap-download", args=[world.roadmap.pk, file_format]))
        assert response.status_code == 200
        assert response.content[:2] == b"PK"

    client.force_login(world.outsider)
    assert (
        client.get(reverse("roadmaps:roadmap-download", args=[world.roadmap.pk, "xlsx"])).status_code == 404
    )


def _word_plan() -> bytes:
    """A school plan as Word writes it: an approval block straight above a title in three paragraphs."""
    import io

    from docx import Document

    document = Document()
    for text in (
        "УТВЕРЖДАЮ",
        "Директор школы",
        "______ И.И. Иванов",
        "ПЛАН",
        "работы с одарёнными детьми",
        "на 2024 год",
    ):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=3)
    rows = [["№", "Содержание работы", "Срок"], ["1.", "Олимпиада", "Октябрь 2024"]]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_plan_keeps_its_title_through_preview_and_confirmation(client, world):
    client.force_login(world.staff)
    location = _upload(client, world, "план.docx", _word_plan())["Location"]

    preview = client.get(location).content.decode()
    assert "ПЛАН работы с одарёнными детьми на 2024 год" in preview
    client.post(location, {})

    roadmap = Roadmap.objects.latest("pk")
    assert roadmap.title == "ПЛАН работы с одарёнными детьми на 2024 год"
    assert list(roadmap.activities.values_list("number", flat=True)) == ["1."]


def test_the_title_typed_on_the_preview_is_the_one_saved(client, world):
    client.force_login(world.staff)
    location = _upload(client, world, "план.docx", _word_plan())["Location"]

    client.post(location, {"title": "  План  работы   с одарёнными  "})

    assert Roadmap.objects.latest("pk").title == "План работы с одарёнными"


@pytest.mark.parametrize(
    ("ticked", "status"), [(True, Roadmap.Status.APPROVED), (False, Roadmap.Status.DRAFT)]
)
def test_a_roadmap_with_an_act_is_approved_on_import_only_when_staff_tick_it(
    client, world, seeds_dir, ticked, status
):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("002_*.txt"))
    location = _upload(client, world, path.name, path.read_bytes())["Location"]
    preview = client.get(location).content.decode()
    assert "Утвердить при импорте" in preview
    assert "05.07.2019 № 291" in preview

    client.post(location, {"approve": "on"} if ticked else {})

    roadmap = Roadmap.objects.latest("pk")
    assert roadmap.status == status
    assert (roadmap.approved_by_act is not None) == ticked
