"""The one exception the importer raises for a file it cannot read, with a message for a person."""

from __future__ import annotations

MAX_UNPACKED_SIZE = 200 * 1024 * 1024
SUPPORTED = (".docx", ".xlsx", ".txt", ".tsv", ".csv")

EMPTY = "Файл пуст."
ENCRYPTED = "Файл защищён паролем: снимите пароль и загрузите файл снова."
CORRUPT = "Файл повреждён или не является документом Word/Excel."
OLD_FORMAT = "Файл в старом формате Word/Excel (.doc, .xls): сохраните его как .docx или .xlsx."
ZIP_BOMB = "Файл после распаковки занимает больше 200 МБ или сжат подозрительно сильно: загрузка отклонена."
ENCODING = "Не удалось определить кодировку текста: сохраните файл в кодировке UTF-8 или Windows-1251."
NO_TABLE = "В файле не найдена таблица мероприятий."


def unsupported(extension: str) -> str:
    shown = extension if extension else "файла без расширения"
    return f"Формат {shown} не поддерживается: загрузите {', '.join(SUPPORTED[:-1])} или {SUPPORTED[-1]}."


def mismatch(extension: str) -> str:
    return f"Содержимое файла не соответствует расширению {extension}."


def missing_columns(names: list[str]) -> str:
    return "Не найдены столбцы: " + ", ".join(names)


class ImportRefused(Exception):
    """The file cannot be imported; ``message`` is a clear Russian sentence for the person uploading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
