"""Report files are built in a scratch folder beside their final name and published by rename.

Everything one build writes — the file itself and any parts a builder makes next to it — lives in that
folder, named after the report (`.<name>.<random>.tmp/`), so the leftovers of a killed build are found by
the report's name alone and removed with one call, by the next attempt or by the sweeper.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import default_storage

TEMP_SUFFIX = ".tmp"


def _temp_prefix(final: Path) -> str:
    return f".{final.name}."


def remove_leftovers(name: str) -> int:
    """Delete what killed builds left for this report (scratch folders, older temporary files)."""
    final = Path(default_storage.path(name))
    removed = 0
    if final.parent.is_dir():
        for leftover in final.parent.glob(_temp_prefix(final) + "*" + TEMP_SUFFIX):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
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

    The scratch folder is in the final directory, so os.replace is an atomic rename: readers see either no
    file or the whole file, and an exception leaves neither the final file nor the scratch folder.
    """
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=final.parent, prefix=_temp_prefix(final), suffix=TEMP_SUFFIX))
    temp = scratch / final.name
    try:
        write(temp)
        checksum, size = sha256_of(temp), temp.stat().st_size
        os.replace(temp, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return checksum, size
