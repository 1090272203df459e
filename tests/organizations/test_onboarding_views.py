"""The Excel onboarding pages: every URL × persona × own and foreign upload (in the style of
tests/roadmaps/test_permissions_matrix.py), the page flow, and the preview's query count."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Organization
from organizations.onboarding import services
from tests import factories
from tests.organizations.test_onboarding import workbook
from tests.permissions import STAFF_ONLY, UPLOADER_ONLY, UPLOADER_ONLY_POST, matrix_cases, status_as

MATRIX = [
    ("get", "organizations:onboarding-upload", None, STAFF_ONLY),
    ("post", "organizations:onboarding-upload", None, STAFF_ONLY),  # no file: the form again
    ("get", "organizations:onboarding-template", None, STAFF_ONLY),
    ("get", "organizations:onboarding-export", None, STAFF_ONLY),
    ("get", "organizations:onboarding-preview", "upload", UPLOADER_ONLY),
    ("post", "organizations:onboarding-confirm", "upload", UPLOADER_ONLY_POST),
]
CASES = matrix_cases(MATRIX)


@pytest.fixture
def uploads(world) -> dict[str, str]:
    own = workbook(organizations=[{"full_name": "Новая школа", "parent": "ДО"}])
    foreign = workbook(organizations=[{"full_name": "Новая школа", "parent": "МО"}])
    return {
        "own": services.onboarding_upload_create(actor=world.staff, file_name="a.xlsx", data=own).token,
        "foreign": services.onboarding_upload_create(
            actor=world.outsider, file_name="b.xlsx", data=foreign
        ).token,
    }


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), CASES)
def test_status_by_role_and_organisation(client, world, uploads, method, name, key, side, role, expected):
    url = reverse(name, args=[uploads[side]] if key else [])
    assert status_as(client, world, role, method, url) == expected, f"{method.upper()} {url} as {role}"


def test_the_list_page_links_to_the_excel_pages_for_staff_only(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("organizations:organization-list")).content.decode()
    assert "Загрузить из Excel" in body and "Выгрузить в Excel" in body and "Шаблон" in body
    client.force_login(world.analyst)
    assert "Загрузить из Excel" not in client.get(reverse("organizations:organization-list")).content.decode()


def test_upload_preview_confirm_through_the_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.staff)
    data = workbook(
        organizations=[{"full_name": "Школа с. Новое", "short_name": "Новая СОШ", "parent": "ДО",
                        "kind": "общеобразовательная организация"}],
        people=[{"full_name": "Орлова Мария", "email": "orlova@example.org", "organization": "Новая СОШ",
                 "role": "координатор"}],
    )  # fmt: skip
    response = client.post(
        reverse("organizations:onboarding-upload"), {"file": SimpleUploadedFile("школы.xlsx", data)}
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "будет создана" in body and "Новая СОШ" in body and "Подтвердить и записать" in body
    confirm = reverse("organizations:onboarding-confirm", args=[response.url.rstrip("/").rsplit("/", 1)[-1]])
    with django_capture_on_commit_callbacks(execute=True):  # the apply task, then the mail task
        assert client.post(confirm).url == response.url
    done = client.get(response.url).content.decode()
    assert "Файл загружен" in done and "Организаций добавлено: 1" in done
    assert Organization.objects.filter(short_name="Новая СОШ", parent=world.region_org).exists()
    assert mail.outbox[0].to == ["orlova@example.org"]


def test_a_file_with_refused_rows_cannot_be_confirmed_and_the_page_says_why(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)
    data = workbook(organizations=[{"full_name": "Школа", "parent": "ДО", "inn": "7707083894"}])
    upload = services.onboarding_upload_create(actor=world.staff, file_name="a.xlsx", data=data)
    body = client.get(reverse("organizations:onboarding-preview", args=[upload.token])).content.decode()
    assert "отклонена" in body and "неверный ИНН «7707083894»: не сходится контрольное число" in body
    assert "Файл нельзя подтвердить" in body and "Подтвердить и записать" not in body
    before = Organization.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizations:onboarding-confirm", args=[upload.token]))
    body = client.get(reverse("organizations:onboarding-preview", args=[upload.token])).content.decode()
    assert "Ничего не записано" in body and "отклонена" in body  # back on the preview, saying why
    assert Organization.objects.count() == before


def test_while_the_file_is_written_the_preview_waits_and_a_second_confirm_is_refused(client, world):
    client.force_login(world.staff)
    data = workbook(organizations=[{"full_name": "Школа", "parent": "ДО"}])
    upload = services.onboarding_upload_create(actor=world.staff, file_name="a.xlsx", data=data)
    confirm = reverse("organizations:onboarding-confirm", args=[upload.token])
    client.post(confirm)  # no on-commit callbacks run here: the task has not started
    body = client.get(reverse("organizations:onboarding-preview", args=[upload.token])).content.decode()
    assert "Файл записывается" in body and 'http-equiv="refresh"' in body
    assert "Этот файл уже записывается." in client.post(confirm, follow=True).content.decode()


def test_a_file_that_is_not_excel_is_refused_on_the_form(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("organizations:onboarding-upload"), {"file": SimpleUploadedFile("a.xlsx", b"plain text")}
    )
    assert response.status_code == 200
    assert "не читается как книга Excel" in response.content.decode()


def _big_file(world, n: int) -> bytes:
    organizations = [
        {"full_name": f"Школа № {i}", "parent": "ДО", "kind": "общеобразовательная организация"}
        for i in range(n)
    ]
    people = [
        {"full_name": f"Учитель {i}", "email": f"t{i}@example.org", "organization": f"Школа № {i}",
         "role": "координатор"}
        for i in range(n)
    ]  # fmt: skip
    people.append(
        {"full_name": "", "email": world.coordinator.email, "organization": "СОШ № 1", "role": "наблюдатель"}
    )
    return workbook(organizations=organizations, people=people)


def test_the_preview_costs_the_same_queries_for_a_small_and_a_larger_file(
    client, world, django_assert_num_queries
):
    world.coordinator.email = "coordinator@example.org"
    world.coordinator.save()
    for i in range(5):
        factories.MunicipalityFactory(region=world.region_org.region, name=f"Район {i}")
    client.force_login(world.staff)
    for n in (2, 60):
        upload = services.onboarding_upload_create(
            actor=world.staff, file_name="a.xlsx", data=_big_file(world, n)
        )
        url = reverse("organizations:onboarding-preview", args=[upload.token])
        # 1 session, 2 user, 3 the upload, 4 the scope, 5 the organisations of the staff scope,
        # 6 the municipalities, 7 the accounts with the file's e-mails, 8 their memberships (the file names
        # no code or ИНН, so nothing is looked up outside the scope).
        with django_assert_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
