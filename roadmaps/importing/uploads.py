"""Files uploaded for import, kept privately per user until their ImportUpload record goes
(roadmaps/services/imports.py decides when)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

_TOKEN_BYTES = 16


def upload_token() -> str:
    """A key nobody can guess; the record also checks whose upload it is."""
    return secrets.token_hex(_TOKEN_BYTES)


def upload_store(*, user_id: int, token: str, data: bytes, filename: str) -> str:
    """Keep the file; returns its name in storage."""
    name = default_storage.get_valid_name(Path(filename).name or "document")
    return default_storage.save(f"imports/{user_id}/{token}/{name}", ContentFile(data))


def upload_read(stored_name: str) -> bytes:
    with default_storage.open(stored_name) as handle:
        return handle.read()


def upload_delete(stored_name: str) -> None:
    if stored_name:
        default_storage.delete(stored_name)
