"""Writes a region's archive: one JSON Lines file per table (archives/entities.py), the files the rows
point to, and the manifest.

Every table is read with one query streamed in chunks (`iterator(chunk_size=…)`), and every file is
copied in blocks, so memory stays flat whatever the size of the region. A line is Django's serialisation
format ({"model", "pk", "fields"}), which `manage.py import_region_archive` reads back.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, F, Value, When

from archives.entities import ENTITIES, FILE_SOURCES, Entity, Subtree
from archives.manifest import CHUNK, FILES_FOLDER, FORMAT, FORMAT_VERSION, MANIFEST_NAME, manifest_bytes
from organizations.models import Organization

ROWS_PER_FETCH = 2000
FLUSH_BYTES = 256 * 1024


class ArchiveEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: history is ordered by them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def entity_records(entity: Entity, subtree: Subtree) -> Iterator[dict[str, Any]]:
    """The entity's rows as serialised records, read in one query."""
    fields = entity.fields()
    kept = entity.keep(subtree)
    plain = [f.attname for f in fields if f.name not in kept]
    guarded = {
        f"kept_{f.name}": Case(When(kept[f.name], then=F(f.attname)), default=Value(None))
        for f in fields
        if f.name in kept
    }
    pk = entity.model._meta.pk.attname
    label = entity.model._meta.label_lower
    rows = entity.rows(subtree).order_by(pk).values(pk, *plain, **guarded)
    for row in rows.iterator(chunk_size=ROWS_PER_FETCH):
        values = {f.name: row[f"kept_{f.name}"] if f.name in kept else row[f.attname] for f in fields}
        if entity.model is Organization:
            values["path"] = "/" + values["path"][len(subtree.parent_prefix) :]
        yield {"model": label, "pk": row[pk], "fields": values}


class _HashingWriter:
    """Writes to a zip member in blocks, hashing what it writes."""

    def __init__(self, handle) -> None:
        self.handle, self.digest, self.buffer = handle, hashlib.sha256(), bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        self.digest.update(self.buffer)
        self.handle.write(self.buffer)
        self.buffer.clear()


def _write_entity(archive: zipfile.ZipFile, entity: Entity, subtree: Subtree) -> tuple[str, int]:
    count = 0
    with archive.open(entity.file_name, "w", force_zip64=True) as handle:
        writer = _HashingWriter(handle)
        for record in entity_records(entity, subtree):
            writer.write(json.dumps(record, cls=ArchiveEncoder, ensure_ascii=False).encode() + b"\n")
            count += 1
        writer.flush()
    return writer.digest.hexdigest(), count


def _copy_file(archive: zipfile.ZipFile, name: str) -> str | None:
    """Copy a stored file into the archive; None when storage no longer has it."""
    if not default_storage.exists(name):
        return None
    with (
        default_storage.open(name, "rb") as source,
        archive.open(FILES_FOLDER + name, "w", force_zip64=True) as handle,
    ):
        writer = _HashingWriter(handle)
        for block in iter(lambda: source.read(CHUNK), b""):
            writer.write(block)
        writer.flush()
    return writer.digest.hexdigest()


def write_archive(
    *,
    organization_id: int,
    path: Path,
    created_at: datetime.datetime,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the archive of `organization_id`'s subtree to `path`; returns its manifest.

    Queries: the organisation; one per entity; one per kind of stored file (evidence, comments).
    """
    root = Organization.objects.values("pk", "path", "inn", "short_name", "full_name").get(pk=organization_id)
    subtree = Subtree(root["path"])
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    missing: list[str] = []
    steps = len(ENTITIES) + len(FILE_SOURCES)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for step, entity in enumerate(ENTITIES):
            files[entity.file_name], counts[entity.name] = _write_entity(archive, entity, subtree)
            if progress:
                progress(100 * (step + 1) // steps)
        for step, rows in enumerate(FILE_SOURCES, start=len(ENTITIES)):
            names = rows(subtree).exclude(file="").order_by("pk").values_list("file", flat=True)
            for name in names.iterator(chunk_size=ROWS_PER_FETCH):
                if FILES_FOLDER + name in files or name in missing:
                    continue
                checksum = _copy_file(archive, name)
                if checksum is None:
                    missing.append(name)
                else:
                    files[FILES_FOLDER + name] = checksum
            if progress:
                progress(100 * (step + 1) // steps)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "scope": {
                "organization": {k: root[k] for k in ("pk", "inn", "short_name", "full_name")},
                "path": "/" + root["path"][len(subtree.parent_prefix) :],
            },
            # Rows refer to one another by the source primary keys; organisations are also known by
            # ИНН and people by username.
            "natural_keys": {"organizations.organization": "inn", "auth.user": "username"},
            "counts": counts,
            "files": files,
            "missing_files": missing,
        }
        archive.writestr(MANIFEST_NAME, manifest_bytes(manifest))
    return manifest
