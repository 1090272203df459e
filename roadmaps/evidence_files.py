"""Evidence uploads: the type is decided by the file's content, never by its name alone."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _sniff(head: bytes, file: UploadedFile) -> str | None:
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            names = set(zipfile.ZipFile(file).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return ".docx"
        if "xl/workbook.xml" in names:
            return ".xlsx"
    return None


def check_evidence_file(file: UploadedFile) -> str:
    """Return the content type of an acceptable evidence file or raise a ValidationError in Russian."""
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": "Файл больше 20 МБ."})
    extension = "." + file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError({"file": "Допустимы файлы PDF, DOCX, XLSX, JPG и PNG."})
    file.seek(0)
    kind = _sniff(file.read(8), file)
    file.seek(0)
    if kind is None or ALLOWED_EXTENSIONS[kind] != ALLOWED_EXTENSIONS[extension]:
        raise ValidationError({"file": "Содержимое файла не соответствует его расширению."})
    return ALLOWED_EXTENSIONS[extension]
