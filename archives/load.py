"""Imports a region's archive into an empty portal, all or nothing.

The manifest's hashes are checked before anything is written; then every table is loaded with its
source primary keys in one transaction (foreign keys are checked at its end), people get unusable
passwords, and the stored files are written back. Any error rolls the database back and removes the
files written so far, so a broken archive changes nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DatabaseError, IntegrityError, connection, transaction

from archives.entities import ENTITIES, Entity
from archives.manifest import FILES_FOLDER, ArchiveError, manifest_read
from organizations.models import Organization, Region
from projects.models import Project
from roadmaps.models import Comment, Evidence, Roadmap
from roadmaps.participation import participants_rebuild

User = get_user_model()

# What a damaged or inconsistent archive raises while it is loaded.
_BROKEN = (
    DeserializationError,
    ValidationError,
    IntegrityError,
    DatabaseError,
    KeyError,
    ValueError,
    SuspiciousOperation,  # a file name that would leave MEDIA_ROOT
)


def portal_is_empty() -> bool:
    """No directory, projects or roadmaps, and no people but technical administrators."""
    return not (
        Region.objects.exists()
        or Organization.objects.exists()
        or Project.objects.exists()
        or Roadmap.objects.exists()
        or User.objects.filter(is_superuser=False).exists()
    )


def _objects(archive: zipfile.ZipFile, entity: Entity) -> Iterator[DeserializedObject]:
    with archive.open(entity.file_name) as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8")
        yield from serializers.deserialize("jsonl", lines)


def _prepare(entity: Entity, obj: Any) -> None:
    if not isinstance(obj, entity.model):
        raise ArchiveError(f"В файле {entity.file_name} записи другой таблицы: {obj._meta.label}.")
    if entity.model is User:
        # Whatever the file says: no password (they reset it or sign in by SSO) and no admin rights.
        obj.password = make_password(None)
        obj.is_superuser = obj.is_staff = False


def _load_entity(archive: zipfile.ZipFile, entity: Entity) -> int:
    count = 0
    for item in _objects(archive, entity):
        _prepare(entity, item.object)
        # Raw, like loaddata: no history rows of their own (the archive brings them), no save() logic
        # (paths and sort keys come as they were).
        item.save(force_insert=True)
        count += 1
    return count


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [entity.model for entity in ENTITIES])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _write_files(archive: zipfile.ZipFile, names: list[str], written: list[str]) -> None:
    for member in names:
        name = member[len(FILES_FOLDER) :]
        with archive.open(member) as source:
            stored = default_storage.save(name, File(source, name=Path(name).name))
        written.append(stored)
        if stored != name:  # a file of that name was already in storage: point the rows at the copy
            Evidence.objects.filter(file=name).update(file=stored)
            Comment.objects.filter(file=name).update(file=stored)


def _load(archive: zipfile.ZipFile, manifest: dict[str, Any], written: list[str]) -> dict[str, int]:
    counts = {entity.name: _load_entity(archive, entity) for entity in ENTITIES}
    expected = manifest.get("counts") or {}
    for name, count in counts.items():
        if expected.get(name) != count:
            raise ArchiveError(
                f"В файле {name}.jsonl {count} записей, а в описании архива — {expected.get(name)}."
            )
    # Participation is derived from responsibilities; the receivers of the raw saves above made some rows.
    participants_rebuild()
    connection.check_constraints()
    _reset_sequences()
    files = sorted(name for name in manifest["files"] if name.startswith(FILES_FOLDER))
    _write_files(archive, files, written)
    return counts


def region_archive_import(path: Path | str) -> dict[str, int]:
    """Load the archive at `path` into this (empty) portal; returns the rows loaded per table."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"Файл {path} не открывается как zip-архив: {exc}.") from exc
    with archive:
        manifest = manifest_read(archive)
        if not portal_is_empty():
            raise ArchiveError(
                "Портал не пуст: архив данных региона загружается только в пустой портал "
                "(без регионов, организаций, проектов, дорожных карт и пользователей, кроме администраторов)."
            )
        written: list[str] = []
        try:
            with transaction.atomic():
                return _load(archive, manifest, written)
        except BaseException as exc:
            _remove(written)
            if isinstance(exc, _BROKEN):
                raise ArchiveError(
                    f"Архив не загружен, портал не изменён: данные архива противоречивы ({exc})."
                ) from exc
            raise


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
