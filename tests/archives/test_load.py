"""`manage.py import_region_archive`: a region exported, the portal emptied, the archive imported — every
table comes back as it was, history and files included; a broken archive changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from archives.entities import ENTITIES, Subtree
from archives.export import entity_records, write_archive
from archives.load import region_archive_import
from archives.manifest import ArchiveError, manifest_bytes
from organizations.models import Organization
from roadmaps.models import Checkpoint, Evidence, RoadmapParticipant
from tests.archives.conftest import fill_region

User = get_user_model()


def _snapshot(subtree: Subtree) -> dict[str, list[dict]]:
    """Every table of the archive as the export reads it (what is compared before and after)."""
    return {entity.name: list(entity_records(entity, subtree)) for entity in ENTITIES}


def _empty_the_portal(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for item in media.rglob("*"):
        if item.is_file():
            item.unlink()


def _exported(world, tmp_path) -> tuple[Path, Subtree]:
    path = tmp_path / "region.zip"
    write_archive(organization_id=world.region_org.pk, path=path, created_at=timezone.now())
    return path, Subtree(world.region_org.path)


@pytest.mark.django_db(transaction=True)
def test_round_trip_brings_back_every_table_history_and_file(world, tmp_path, media_root, client):
    region = fill_region(world, activities=3)
    path, subtree = _exported(world, tmp_path)
    before = _snapshot(subtree)
    participants = sorted(
        RoadmapParticipant.objects.filter(
            roadmap__owner__path__startswith=subtree.path, organization__path__startswith=subtree.path
        ).values_list("roadmap_id", "organization_id")
    )
    _empty_the_portal(media_root)
    assert not Organization.objects.exists() and not default_storage.exists(next(iter(region.files)))

    call_command("import_region_archive", str(path), verbosity=0)

    after = _snapshot(subtree)
    for name in before:
        assert after[name] == before[name], name
    assert sum(len(rows) for rows in after.values()) > 100
    assert len(after["history/checkpoints"]) >= 6  # created, reported, accepted for each of three
    for name, content in region.files.items():
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == content
    # Participation is derived again, within the region (the foreign organisation was not exported).
    assert sorted(RoadmapParticipant.objects.values_list("roadmap_id", "organization_id")) == participants
    staff = User.objects.get(username="staff")
    assert not staff.has_usable_password() and not staff.is_superuser
    # New rows get fresh keys after the imported ones.
    new = Organization.objects.create(
        full_name="Новая школа", short_name="Новая", parent_id=world.region_org.pk
    )
    assert new.pk > max(o["pk"] for o in before["organizations"])
    # The portal works on what was imported: the staff member sees the roadmap and a report's file.
    client.force_login(staff)
    assert client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).status_code == 200
    evidence = Evidence.objects.exclude(file="").first()
    response = client.get(reverse("roadmaps:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_broken_references_change_nothing(world, tmp_path, media_root):
    fill_region(world, activities=1)
    path, _subtree = _exported(world, tmp_path)
    _empty_the_portal(media_root)
    # A school is taken out of the archive, its hash and count put right: the rows are consistent with
    # the manifest, but responsibilities and memberships point to an organisation that is not there.
    broken = _rewrite(
        path, tmp_path / "broken.zip", "organizations.jsonl", lambda rows: rows[:-2] + rows[-1:]
    )
    with pytest.raises(ArchiveError, match="портал не изменён"):
        region_archive_import(broken)
    assert not Organization.objects.exists() and not User.objects.exists() and not Checkpoint.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_a_non_empty_portal_is_refused(world, tmp_path):
    fill_region(world, activities=1)
    path, _subtree = _exported(world, tmp_path)
    count = Organization.objects.count()
    with pytest.raises(CommandError, match="Портал не пуст"):
        call_command("import_region_archive", str(path), verbosity=0)
    assert Organization.objects.count() == count


def test_hash_mismatch_is_refused_before_anything_is_read(world, tmp_path):
    fill_region(world, activities=1)
    path, _subtree = _exported(world, tmp_path)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "checkpoints.jsonl":
                data = data.replace("Проведено".encode(), "Не сделано".encode())
            target.writestr(name, data)
    with pytest.raises(ArchiveError, match=r"Контрольная сумма файла checkpoints\.jsonl не совпадает"):
        region_archive_import(tampered)


def test_a_missing_file_is_refused(world, tmp_path):
    region = fill_region(world, activities=1)
    path, _subtree = _exported(world, tmp_path)
    cut = tmp_path / "cut.zip"
    missing = "files/" + next(iter(region.files))
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(cut, "w") as target:
        for name in source.namelist():
            if name != missing:
                target.writestr(name, source.read(name))
    with pytest.raises(ArchiveError, match="не хватает файлов"):
        region_archive_import(cut)


def test_not_an_archive_is_refused_in_words(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="не открывается как zip-архив"):
        call_command("import_region_archive", str(junk))


def _rewrite(source_path: Path, target_path: Path, member: str, change) -> Path:
    """A copy of the archive with one member's lines changed and the manifest made to agree with it."""
    with zipfile.ZipFile(source_path) as source:
        manifest = json.loads(source.read("manifest.json"))
        contents = {name: source.read(name) for name in source.namelist() if name != "manifest.json"}
    rows = change(contents[member].decode().splitlines())
    contents[member] = "".join(f"{row}\n" for row in rows).encode()
    manifest["files"][member] = hashlib.sha256(contents[member]).hexdigest()
    manifest["counts"][member.removesuffix(".jsonl")] = len(rows)
    with zipfile.ZipFile(target_path, "w") as target:
        for name, data in contents.items():
            target.writestr(name, data)
        target.writestr("manifest.json", manifest_bytes(manifest))
    return target_path
