"""The archive's table of contents (manifest.json): what it is, whose, how many rows, and the SHA-256 of
every other file in it, checked before anything is imported."""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import Any

FORMAT = "roadmap-portal-region-archive"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
FILES_FOLDER = "files/"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """An archive that cannot be imported, said in words for the person running the import."""


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()


def sha256_of_member(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_read(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its hash and nothing else is in the zip."""
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    except KeyError as exc:
        raise ArchiveError("В архиве нет описания manifest.json — это не архив данных региона.") from exc
    except ValueError as exc:
        raise ArchiveError("Описание архива manifest.json повреждено.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("Это не архив данных региона портала дорожных карт.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"Версия формата архива {manifest.get('format_version')} не поддерживается "
            f"(поддерживается {FORMAT_VERSION})."
        )
    listed: dict[str, str] = manifest.get("files") or {}
    present = set(archive.namelist()) - {MANIFEST_NAME}
    missing = sorted(set(listed) - present)
    if missing:
        raise ArchiveError(f"В архиве не хватает файлов ({len(missing)}), например: {missing[0]}.")
    extra = sorted(present - set(listed))
    if extra:
        raise ArchiveError(f"В архиве есть файлы, которых нет в его описании, например: {extra[0]}.")
    for name, expected in listed.items():
        try:
            actual = sha256_of_member(archive, name)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(f"Файл {name} в архиве повреждён: {exc}.") from exc
        if actual != expected:
            raise ArchiveError(
                f"Контрольная сумма файла {name} не совпадает с описанием архива: "
                "архив повреждён или изменён."
            )
    return manifest
