"""Files the importer refuses, each with a clear Russian message for the person uploading it."""

import io
import random
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import ImportRefused, ParsedActivity, ParsedRoadmap, ParsedSection, parse_file  # noqa: E402
from roadmaps.importing.limits import ReadLimits  # noqa: E402
from roadmaps.importing.writers import write_docx, write_xlsx  # noqa: E402


def made_up_roadmap() -> ParsedRoadmap:
    activity = ParsedActivity(number="1", title="Совещание руководителей", deadline_text="Май 2024",
                              responsible_text="Отдел образования")
    return ParsedRoadmap(title="План на 2024 год", sections=[ParsedSection("Общие вопросы", "1", [activity])])


def refusal(data: bytes, filename: str, limits: ReadLimits | None = None) -> str:
    with pytest.raises(ImportRefused) as caught:
        parse_file(data, filename, limits=limits)
    return caught.value.message


def test_prose_without_a_table_is_refused():
    prose = "Уважаемые коллеги!\n\nНаправляем информацию о ходе работы.\n\nС уважением, отдел образования.\n"
    assert refusal(prose.encode("utf-8"), "letter.txt") == "В файле не найдена таблица мероприятий."


def test_a_tab_separated_text_without_a_header_is_refused():
    data = "Иванов\tИван\tИванович\nПетров\tПётр\tПетрович\n".encode()
    assert refusal(data, "people.tsv") == "В файле не найдена таблица мероприятий."


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
@pytest.mark.parametrize("filename", ["plan.txt", "plan.xlsx", "plan.docx"])
def test_an_empty_file_is_refused(data, filename):
    assert refusal(data, filename) == "Файл пуст."


def test_an_encrypted_office_file_is_refused_as_password_protected():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    assert refusal(data, "plan.xlsx") == "Файл защищён паролем: снимите пароль и загрузите файл снова."
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.docx").startswith(
        "Файл защищён паролем")


def test_an_old_binary_word_file_renamed_to_docx_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le")
    assert refusal(data, "plan.docx") == (
        "Файл в старом формате Word/Excel (.doc, .xls): сохраните его как .docx или .xlsx.")


@pytest.mark.parametrize("filename", ["plan.docx", "plan.xlsx"])
def test_random_bytes_and_truncated_zips_are_refused_as_corrupt(filename):
    message = "Файл повреждён или не является документом Word/Excel."
    noise = bytes(random.Random(7).randrange(256) for _ in range(4000))
    assert refusal(noise, filename) == message
    real = (write_docx if filename.endswith("docx") else write_xlsx)(made_up_roadmap())
    assert refusal(real[: len(real) // 2], filename) == message
    assert refusal(b"PK\x03\x04" + noise, filename) == message


def test_a_zip_that_is_not_an_office_document_is_refused_as_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "не документ")
    assert refusal(buffer.getvalue(), "plan.xlsx") == "Файл повреждён или не является документом Word/Excel."


@pytest.mark.parametrize("filename, shown", [
    ("plan.pdf", ".pdf"), ("plan.doc", ".doc"), ("plan", "файла без расширения"),
])
def test_unsupported_extensions_are_refused(filename, shown):
    assert refusal(b"%PDF-1.4 something", filename) == (
        f"Формат {shown} не поддерживается: загрузите .docx, .xlsx, .txt, .tsv или .csv.")


def test_content_that_does_not_match_the_extension_is_refused():
    xlsx = write_xlsx(made_up_roadmap())
    assert refusal(xlsx, "plan.docx") == "Содержимое файла не соответствует расширению .docx."
    assert refusal(xlsx, "plan.txt") == "Содержимое файла не соответствует расширению .txt."
    assert refusal(b"%PDF-1.7\n...", "plan.csv") == "Содержимое файла не соответствует расширению .csv."


def test_a_file_over_the_size_limit_is_refused_before_reading():
    limits = ReadLimits(max_bytes=20 * 1024 * 1024)
    assert refusal(b"a" * (20 * 1024 * 1024 + 1), "plan.txt", limits) == "Файл больше 20 МБ."
    assert refusal(b"PK\x03\x04" + b"\x00" * (20 * 1024 * 1024), "plan.xlsx", limits) == "Файл больше 20 МБ."


def test_an_xlsx_zip_bomb_is_refused_without_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row><c><v>0</v></c></row>" * 40000
            for _ in range(60):  # about 62 MB unpacked, a few hundred KB on disk
                sheet.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    assert refusal(data, "bomb.xlsx") == (
        "Файл после распаковки занимает больше 200 МБ или сжат подозрительно сильно: загрузка отклонена.")


def test_utf16_without_bom_is_refused_as_unknown_encoding():
    data = "№\tМероприятие\tСроки\tОтветственный\n1\tСовещание\tМай\tОтдел\n".encode("utf-16-le")
    assert refusal(data, "plan.txt") == (
        "Не удалось определить кодировку текста: сохраните файл в кодировке UTF-8 или Windows-1251.")


def test_random_high_bytes_are_refused_as_unknown_encoding():
    rng = random.Random(3)
    data = bytes(rng.choice([b for b in range(0x80, 0x100) if b != 0x98]) for _ in range(3000))
    assert refusal(data, "plan.txt").startswith("Не удалось определить кодировку текста")
    assert refusal(b"\xff\xfe" + "План".encode("utf-16-le"), "plan.txt").startswith("Не удалось определить")


def test_a_table_without_the_activity_column_is_refused_naming_it():
    data = "№\tСроки\tОтветственный\tПримечание\n1\tМай 2024\tОтдел\tбез срока\n".encode()
    assert refusal(data, "plan.tsv") == "Не найдены столбцы: Мероприятие"


def test_a_table_without_deadline_or_responsible_columns_is_read_with_a_warning():
    data = "№\tНаименование мероприятия\tПримечание\n1\tСовещание\tбез срока\n".encode()
    roadmap = parse_file(data, "plan.tsv")
    assert [a.title for a in roadmap.activities] == ["Совещание"]
    assert "В таблице нет столбцов: Сроки, Ответственный, Результат." in [w.message for w in roadmap.warnings]


def test_a_header_without_any_activity_rows_is_refused():
    data = "№\tМероприятие\tСроки\tОтветственный\n".encode()
    assert refusal(data, "plan.tsv") == "В файле не найдена таблица мероприятий."
