"""The archive's contents: manifest counts and hashes, no passwords, nothing outside the scope, and the
same number of queries whatever the size of the region."""

from __future__ import annotations

import hashlib
import json
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archives.entities import ENTITIES, FILE_SOURCES
from archives.export import write_archive
from tests import factories
from tests.archives.conftest import add_activities, fill_region


def _export(world, tmp_path, name="archive.zip"):
    path = tmp_path / name
    manifest = write_archive(organization_id=world.region_org.pk, path=path, created_at=timezone.now())
    return path, manifest


def _records(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return [json.loads(line) for line in archive.read(f"{name}.jsonl").decode().splitlines()]


def test_manifest_counts_and_hashes_match_the_zip(world, region, tmp_path):
    path, manifest = _export(world, tmp_path)
    with zipfile.ZipFile(path) as archive:
        stored = json.loads(archive.read("manifest.json"))
        assert stored == manifest
        assert set(archive.namelist()) == {"manifest.json", *manifest["files"]}
        for name, checksum in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == checksum
        for entity in ENTITIES:
            assert len(_records(archive, entity.name)) == manifest["counts"][entity.name]
        for name, content in region.files.items():
            assert archive.read(f"files/{name}") == content
    assert manifest["format_version"] == 1
    assert manifest["scope"]["organization"]["inn"] == "7017000001"
    counts = manifest["counts"]
    # The region authority and its two schools; the staff, coordinator, analyst, observer and second staff.
    assert counts["organizations"] == 3 and counts["users"] == 5
    assert counts["evidence"] == 2 and counts["comments"] == 3
    assert counts["projects"] == 2 and counts["project_participants"] == 1
    assert counts["history/checkpoints"] >= 4 and counts["history/evidence"] == 2
    assert manifest["missing_files"] == []


def test_no_password_hash_anywhere_and_people_by_username(world, region, tmp_path):
    path, _manifest = _export(world, tmp_path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            assert b"md5$" not in content and b"pbkdf2" not in content and b'"password"' not in content, name
        users = _records(archive, "users")
    assert {u["fields"]["username"] for u in users} == {
        "staff",
        "coordinator",
        "analyst",
        "observer",
        "staff2",
    }
    fields = {"username", "first_name", "last_name", "email", "is_active", "date_joined"}
    assert all(set(u["fields"]) == fields for u in users)


def test_out_of_scope_organisations_and_their_data_are_absent(world, region, tmp_path):
    path, _manifest = _export(world, tmp_path)
    with zipfile.ZipFile(path) as archive:
        organizations = _records(archive, "organizations")
        everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".jsonl"))
        names = archive.namelist()
        roadmaps = _records(archive, "roadmaps")
        projects = {p["fields"]["code"]: p for p in _records(archive, "projects")}
        responsibilities = _records(archive, "responsibilities")
    assert {o["pk"] for o in organizations} == {world.region_org.pk, world.school.pk, world.other_school.pk}
    assert b"6501000001" not in everything  # the foreign authority's ИНН
    assert "Чужая дорожная карта".encode() not in everything and "Чужой отчёт".encode() not in everything
    assert not any("чужой" in name for name in names)
    assert {r["pk"] for r in roadmaps} == {world.roadmap.pk, world.draft.pk}
    # The project's coordinator is in another region: the key is left out, not the project.
    assert projects["uspeh-70"]["fields"]["coordinator"] is None
    assert world.foreign_org.pk not in {r["fields"]["organization"] for r in responsibilities}
    # The root has no parent in the archive; paths start at it.
    root = next(o for o in organizations if o["pk"] == world.region_org.pk)
    assert root["fields"]["parent"] is None and root["fields"]["path"] == f"/{world.region_org.pk}/"


def test_an_authority_below_gets_its_subtree_only(world, region, tmp_path):
    municipal = factories.OrganizationFactory(
        parent=world.region_org, kind="municipal_authority", region=world.region_org.region
    )
    school = factories.OrganizationFactory(parent=municipal, region=world.region_org.region)
    path = tmp_path / "municipal.zip"
    manifest = write_archive(organization_id=municipal.pk, path=path, created_at=timezone.now())
    with zipfile.ZipFile(path) as archive:
        organizations = _records(archive, "organizations")
    assert {o["pk"]: o["fields"]["path"] for o in organizations} == {
        municipal.pk: f"/{municipal.pk}/",
        school.pk: f"/{municipal.pk}/{school.pk}/",
    }
    assert organizations[0]["fields"]["parent"] is None
    assert manifest["counts"]["roadmaps"] == 0 and manifest["counts"]["users"] == 0


def _export_queries(world, tmp_path, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        _export(world, tmp_path, name)
    return len(queries)


def test_export_queries_do_not_grow_with_the_region(world, tmp_path, settings):
    fill_region(world, activities=1)
    small = _export_queries(world, tmp_path, "small.zip")
    add_activities(world, 12, start=1)
    for n in range(5):
        school = factories.OrganizationFactory(parent=world.school, region=world.school.region)
        factories.MembershipFactory(organization=school, role="coordinator", user__username=f"more{n}")
    larger = _export_queries(world, tmp_path, "larger.zip")
    # The root organisation; one streamed query per table; one per kind of stored file.
    expected = 1 + len(ENTITIES) + len(FILE_SOURCES)
    assert small == larger == expected
