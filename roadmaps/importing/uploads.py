"""Uploaded documents waiting between preview and confirmation, kept privately per user."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

_TOKEN_BYTES = 16


def _path(user_id: int, token: str) -> str:
    return f"imports/{user_id}/{token}"


def upload_keep(*, user_id: int, data: bytes, filename: str) -> str:
    """Store the upload and return a token only this user can redeem."""
    token = secrets.token_hex(_TOKEN_BYTES)
    default_storage.save(f"{_path(user_id, token)}/{Path(filename).name}", ContentFile(data))
    return token


def upload_read(*, user_id: int, token: str) -> tuple[bytes, str] | None:
    if not token.isalnum() or len(token) != _TOKEN_BYTES * 2:
        return None
    folder = _path(user_id, token)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return None
    if not files:
        return None
    with default_storage.open(f"{folder}/{files[0]}") as handle:
        return handle.read(), files[0]


def upload_discard(*, user_id: int, token: str) -> None:
    found = upload_read(user_id=user_id, token=token)
    if found is not None:
        default_storage.delete(f"{_path(user_id, token)}/{found[1]}")
