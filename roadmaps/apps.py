from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self) -> None:
        from roadmaps import data_version, participation

        data_version.connect_receivers()
        participation.connect_receivers()
