import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import ImportUpload, Roadmap
from roadmaps.services.imports import import_upload_parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def upload(client, world, django_capture_on_commit_callbacks):
    """Post a file as staff do; with no broker the parse runs in-process once the upload is committed.
    Returns the response of the progress page the upload sends the browser to."""

    def post(name: str, data: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("roadmaps:import-upload"),
                {"owner": world.region_org.pk, "document": SimpleUploadedFile(name, data)},
            )
        assert response.status_code == 302
        token = re.search(r"/import/([0-9a-f]{32})/$", response["Location"]).group(1)
        assert response["Location"] == reverse("roadmaps:import-status", args=[token])
        return client.get(response["Location"])

    return post


def _preview_url(upload, name: str, data: bytes) -> str:
    status = upload(name, data)
    assert status.status_code == 302, status.content.decode()[:500]
    return status["Location"]


def test_staff_upload_previews_then_saves_on_confirmation(client, world, seeds_dir, upload):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("001_*.txt"))
    before = Roadmap.objects.count()

    location = _preview_url(upload, path.name, path.read_bytes())
    preview = client.get(location)
    assert preview.status_code == 200
    assert "мероприятий: 29" in preview.content.decode()
    assert Roadmap.objects.count() == before  # nothing saved by the preview

    confirmed = client.post(location, {})
    roadmap = Roadmap.objects.latest("pk")
    assert confirmed["Location"] == reverse("roadmaps:roadmap-detail", args=[roadmap.pk])
    assert roadmap.activities.count() == 29
    assert roadmap.owner == world.region_org


def test_cancelled_import_saves_nothing_and_forgets_the_file(client, world, seeds_dir, upload):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("000_*.txt"))
    location = _preview_url(upload, path.name, path.read_bytes())
    token = re.search(r"/import/([0-9a-f]+)/", location).group(1)

    client.post(reverse("roadmaps:import-cancel", args=[token]))

    assert client.get(location).status_code == 404
    assert not Roadmap.objects.filter(title__icontains="апробации").exists()


def test_a_file_that_is_not_a_table_is_refused_with_a_message(client, world, upload):
    client.force_login(world.staff)
    before = Roadmap.objects.count()

    response = upload("письмо.txt", "Уважаемые коллеги! Просим направить отчёт.".encode())

    assert response.status_code == 200
    assert "В файле не найдена таблица мероприятий." in response.content.decode()
    assert 'name="document"' in response.content.decode()  # the form again, to upload another file
    assert Roadmap.objects.count() == before


def test_another_user_cannot_use_someones_pending_import(client, world, seeds_dir, upload):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("000_*.txt"))
    location = _preview_url(upload, path.name, path.read_bytes())

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


def test_a_word_plan_keeps_its_title_through_preview_and_confirmation(client, world, upload):
    client.force_login(world.staff)
    location = _preview_url(upload, "план.docx", _word_plan())

    preview = client.get(location).content.decode()
    assert "ПЛАН работы с одарёнными детьми на 2024 год" in preview
    client.post(location, {})

    roadmap = Roadmap.objects.latest("pk")
    assert roadmap.title == "ПЛАН работы с одарёнными детьми на 2024 год"
    assert list(roadmap.activities.values_list("number", flat=True)) == ["1."]


def test_the_title_typed_on_the_preview_is_the_one_saved(client, world, upload):
    client.force_login(world.staff)
    location = _preview_url(upload, "план.docx", _word_plan())

    client.post(location, {"title": "  План  работы   с одарёнными  "})

    assert Roadmap.objects.latest("pk").title == "План работы с одарёнными"


@pytest.mark.parametrize(
    ("ticked", "status"), [(True, Roadmap.Status.APPROVED), (False, Roadmap.Status.DRAFT)]
)
def test_a_roadmap_with_an_act_is_approved_on_import_only_when_staff_tick_it(
    client, world, seeds_dir, upload, ticked, status
):
    client.force_login(world.staff)
    path = next(seeds_dir.glob("002_*.txt"))
    location = _preview_url(upload, path.name, path.read_bytes())
    preview = client.get(location).content.decode()
    assert "Утвердить при импорте" in preview
    assert "05.07.2019 № 291" in preview

    client.post(location, {"approve": "on"} if ticked else {})

    roadmap = Roadmap.objects.latest("pk")
    assert roadmap.status == status
    assert (roadmap.approved_by_act is not None) == ticked


PLAN = "\n".join(
    ["№\tМероприятие\tСрок", "1\tСеминар для педагогов\tМарт 2025 года", "2\tКонкурс проектов\tМай 2025 года"]
).encode()


def _post(client, world, name: str = "план.txt", data: bytes = PLAN):
    return client.post(
        reverse("roadmaps:import-upload"),
        {"owner": world.region_org.pk, "document": SimpleUploadedFile(name, data)},
    )


def _status_url(response) -> str:
    assert response.status_code == 302
    return response["Location"]


def test_the_upload_answers_at_once_with_a_progress_page_and_parses_nothing_in_the_request(client, world):
    client.force_login(world.staff)

    status_url = _status_url(_post(client, world))  # no commit callbacks run: the task is not started
    page = client.get(status_url)

    upload = ImportUpload.objects.get()
    assert upload.status == ImportUpload.Status.QUEUED and upload.parsed == ""
    body = page.content.decode()
    assert page.status_code == 200
    assert '<progress max="100" value="0"' in body
    assert f'hx-get="{status_url}"' in body and 'hx-trigger="every 1s"' in body
    assert "<script>" not in body and " onclick=" not in body  # strict CSP: behaviour comes from htmx


def test_the_polled_fragment_of_a_parsed_upload_sends_the_browser_to_the_preview(client, world):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))
    upload = ImportUpload.objects.get()
    import_upload_parse(upload_id=upload.pk)

    response = client.get(status_url, headers={"HX-Request": "true"})

    preview_url = reverse("roadmaps:import-preview", args=[upload.token, world.region_org.pk])
    assert response["HX-Redirect"] == preview_url
    assert client.get(status_url)["Location"] == preview_url


def test_the_polled_fragment_shows_progress_while_the_file_is_parsed(client, world):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))
    ImportUpload.objects.update(status=ImportUpload.Status.PARSING, progress=40)

    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()

    assert fragment.startswith('<div id="import-progress"')
    assert '<progress max="100" value="40"' in fragment and "Разбирается…" in fragment


def test_a_refusal_sends_the_poll_back_to_the_page_that_shows_it_with_the_form(client, world, settings):
    settings.IMPORT_MAX_ROWS = 2
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))
    import_upload_parse(upload_id=ImportUpload.objects.get().pk)

    assert client.get(status_url, headers={"HX-Request": "true"})["HX-Redirect"] == status_url
    body = client.get(status_url).content.decode()
    assert "Файл «план.txt» не импортирован:" in body
    assert "строк в файле — не меньше 3, предел импорта — 2" in body
    assert f'<option value="{world.region_org.pk}" selected>' in body  # the owner chosen is kept


def test_the_polled_fragment_costs_three_queries(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))

    # 1 session; 2 user; 3 the upload, its parsed result deferred.
    with django_assert_num_queries(3):
        assert client.get(status_url, headers={"HX-Request": "true"}).status_code == 200


def test_the_progress_page_costs_four_queries(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))

    # 1 session; 2 user; 3 the upload, its parsed result deferred; 4 memberships for the menu around it.
    with django_assert_num_queries(4):
        assert client.get(status_url).status_code == 200


def test_a_superuser_may_follow_someones_upload(client, world):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))
    world.analyst.is_superuser = True
    world.analyst.save(update_fields=["is_superuser"])

    client.force_login(world.analyst)
    assert client.get(status_url).status_code == 200


def test_confirming_forgets_the_upload_and_its_file(
    client, world, upload, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)
    location = _preview_url(upload, "план.txt", PLAN)
    stored = ImportUpload.objects.get().stored_name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {})

    assert not ImportUpload.objects.exists()
    assert not default_storage.exists(stored)
    assert client.get(location).status_code == 404


def test_a_file_over_the_upload_size_is_refused_by_the_form_before_it_is_kept(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(world.staff)

    response = _post(client, world, data=PLAN + b"x" * 1024 * 1024)

    assert response.status_code == 200
    assert "Файл больше 1 МБ." in response.content.decode()
    assert "до 1 МБ" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_the_preview_opened_before_the_parse_ends_goes_back_to_the_progress_page(client, world):
    client.force_login(world.staff)
    status_url = _status_url(_post(client, world))  # the parse has not run: the test never commits
    upload = ImportUpload.objects.get()

    response = client.get(reverse("roadmaps:import-preview", args=[upload.token, world.region_org.pk]))

    assert response.status_code == 302 and response["Location"] == status_url
