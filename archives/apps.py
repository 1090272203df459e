from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "Архивы данных региона"
