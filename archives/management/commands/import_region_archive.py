from django.core.management.base import BaseCommand, CommandError

from archives.load import region_archive_import
from archives.manifest import ArchiveError


class Command(BaseCommand):
    help = "Загрузить архив данных региона (zip с сайта портала) в пустой портал, целиком или ничего."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="путь к .zip-архиву")

    def handle(self, *args, archive: str, **options) -> None:
        try:
            counts = region_archive_import(archive)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(counts.values())
        self.stdout.write(f"Архив загружен: {total} записей.")
        for name, count in counts.items():
            if count:
                self.stdout.write(f"  {name}: {count}")
        self.stdout.write(
            "Пароли не перенесены: сотрудники задают их по ссылке сброса пароля или входят через SSO."
        )
