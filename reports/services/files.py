"""Report files are written under a temporary name beside their final one and published by rename."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import default_storage

TEMP_SUFFIX = ".tmp"


def _temp_prefix(final: Path) -> str:
    return f".{final.name}."


def remove_leftovers(name: str) -> int:
    """Delete temporary files a killed worker left for this report; returns how many were removed."""
    final = Path(default_storage.path(name))
    removed = 0
    if final.parent.is_dir():
        for leftover in final.parent.glob(_temp_prefix(final) + "*" + TEMP_SUFFIX):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def publish_atomically(name: str, write: Callable[[Path], None]) -> tuple[str, int]:
    """Call `write(temp_path)`, then rename the result to `name` in storage; returns (sha256, size).

    The temporary file lives in the final directory, so os.replace is an atomic rename: readers see
    either no file or the whole file, and an exception leaves neither the final file nor the temporary one.
    """
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=_temp_prefix(final), suffix=TEMP_SUFFIX)
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        checksum, size = sha256_of(temp), temp.stat().st_size
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return checksum, size
