"""The archive pages: who may request, see and download an archive (the permission matrix), the request
through the task to the file, failures and expiry, and the list's pinned queries."""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from archives import services
from archives.models import RegionArchive
from organizations.models import Membership
from tests import factories
from tests.permissions import STAFF_ONLY, matrix_cases, status_as

# An archive is its authority's staff's alone: everyone else, of either region, is not told it exists.
AUTHORITY_STAFF_ONLY = ("200 404 404 404 404 404 302", "404 404 404 404 200 404 302")
# An empty request is refused and the page shown again (400) — only to staff.
REFUSED_STAFF_POST = ("400 403 403 403 400 403 302",) * 2

MATRIX = [
    ("get", "archives:archive-list", None, STAFF_ONLY),
    ("post", "archives:archive-list", None, REFUSED_STAFF_POST),
    ("get", "archives:archive-detail", "archive", AUTHORITY_STAFF_ONLY),
    ("get", "archives:archive-download", "archive", AUTHORITY_STAFF_ONLY),
]


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """Request an archive and run what the request sends after its commit (the build, tasks eager)."""

    def request(*, actor, organization) -> RegionArchive:
        with django_capture_on_commit_callbacks(execute=True):
            archive = services.region_archive_request(actor=actor, organization=organization)
        archive.refresh_from_db()
        return archive

    return request


@pytest.fixture
def archives(world, build) -> dict[str, RegionArchive]:
    return {
        "own": build(actor=world.staff, organization=world.region_org),
        "foreign": build(actor=world.outsider, organization=world.foreign_org),
    }


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), matrix_cases(MATRIX))
def test_status_by_role_and_organisation(client, world, archives, method, name, key, side, role, expected):
    args = [archives[side].pk] if key else []
    url = reverse(name, args=args)
    assert status_as(client, world, role, method, url) == expected, f"{method.upper()} {url} as {role}"


def test_staff_request_builds_the_archive_and_downloads_it(
    client, world, region, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archives:archive-list"), {"organization": world.region_org.pk})
    archive = RegionArchive.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "archives:archive-detail", args=[archive.pk]
    )
    assert archive.status == RegionArchive.Status.DONE, archive.error
    assert archive.requested_by == world.staff and archive.counts["evidence"] == 2
    assert archive.expires_at.date() == (archive.finished_at + datetime.timedelta(days=7)).date()
    detail = client.get(response.url).content.decode()
    assert "Готов" in detail and archive.sha256 in detail
    download = client.get(reverse("archives:archive-download", args=[archive.pk]))
    content = b"".join(download.streaming_content)
    assert download["X-Content-SHA256"] == hashlib.sha256(content).hexdigest() == archive.sha256
    assert "manifest.json" in zipfile.ZipFile(BytesIO(content)).namelist()


def test_another_staff_member_of_the_authority_downloads_it_too(client, world, build):
    archive = build(actor=world.staff, organization=world.region_org)
    colleague = factories.UserFactory(username="colleague")
    Membership.objects.create(user=colleague, organization=world.region_org, role=Membership.Role.STAFF)
    client.force_login(colleague)
    assert client.get(reverse("archives:archive-download", args=[archive.pk])).status_code == 200
    assert "colleague" not in client.get(reverse("archives:archive-list")).content.decode()
    assert (
        reverse("archives:archive-detail", args=[archive.pk])
        in client.get(reverse("archives:archive-list")).content.decode()
    )


def test_staff_cannot_request_another_regions_archive(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("archives:archive-list"), {"organization": world.foreign_org.pk})
    assert response.status_code == 400
    assert "Выберите свою организацию" in response.content.decode()
    assert not RegionArchive.objects.exists()


def test_a_failed_build_is_kept_in_russian_and_publishes_no_file(
    client, world, build, monkeypatch, media_root
):
    def broken(**kwargs):
        raise RuntimeError("сбой записи")

    monkeypatch.setattr(services, "write_archive", broken)
    archive = build(actor=world.staff, organization=world.region_org)
    assert archive.status == RegionArchive.Status.FAILED
    assert archive.error.startswith("Не удалось сформировать архив (внутренняя ошибка)")
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    client.force_login(world.staff)
    assert client.get(reverse("archives:archive-download", args=[archive.pk])).status_code == 404


def test_beat_sweeps_expired_archives(client, world, build):
    archive = build(actor=world.staff, organization=world.region_org)
    kept = build(actor=world.staff, organization=world.region_org)
    RegionArchive.objects.filter(pk=archive.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.region_archives_sweep() == {"expired": 1, "failed": 0}
    archive.refresh_from_db()
    assert archive.status == RegionArchive.Status.EXPIRED and not archive.file
    assert not default_storage.exists(services.region_archive_file_name(archive))
    client.force_login(world.staff)
    assert client.get(reverse("archives:archive-download", args=[archive.pk])).status_code == 404
    assert client.get(reverse("archives:archive-download", args=[kept.pk])).status_code == 200


def test_archive_list_queries_do_not_grow_with_archives(client, world, build, django_assert_num_queries):
    client.force_login(world.staff)
    url = reverse("archives:archive-list")
    build(actor=world.staff, organization=world.region_org)
    client.get(url)  # the session and the user are read once per request; warm nothing else
    # session, user, the user's memberships (scope), the form's organisations twice (Django's Select reads
    # its first option to decide on `required`, then all of them), the archives with their organisation
    # and requester
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    for _ in range(3):
        build(actor=world.staff, organization=world.region_org)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
