"""Checks on the raw bytes before any parser sees them: size, what the content really is, and
zip bombs (total unpacked size and compression ratio read from the zip directory, nothing unpacked)."""

from __future__ import annotations

import io
import zipfile

from . import errors
from .errors import ImportRefused
from .limits import too_big

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_RATIO = 200  # a real sheet compresses 10–50 times; thousands means a bomb
RATIO_CHECK_FROM = 10 * 1024 * 1024


def check_size(data: bytes, max_bytes: int | None = None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportRefused(too_big(max_bytes))
    if not data.strip():
        raise ImportRefused(errors.EMPTY)


def sniff(data: bytes) -> str:
    """«zip», «ole», «pdf» or «text»."""
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE_MAGIC[:4]):
        return "ole"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    return "text"


def refuse_ole(data: bytes) -> None:
    """An encrypted .docx/.xlsx is an OLE compound file with an «EncryptionInfo» stream; an old
    .doc/.xls names its «WordDocument» / «Workbook» stream instead."""
    encrypted = "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data
    old = "WordDocument".encode("utf-16-le") in data or "Workbook".encode("utf-16-le") in data
    if old and not encrypted:
        raise ImportRefused(errors.OLD_FORMAT)
    raise ImportRefused(errors.ENCRYPTED)


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(errors.CORRUPT) from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > errors.MAX_UNPACKED_SIZE:
        raise ImportRefused(errors.ZIP_BOMB)
    if total > RATIO_CHECK_FROM and total > MAX_RATIO * max(packed, 1):
        raise ImportRefused(errors.ZIP_BOMB)
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused(errors.ZIP_BOMB)
    return archive


def office_kind(archive: zipfile.ZipFile) -> str:
    """«docx», «xlsx» or «» for a zip that is neither."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""
