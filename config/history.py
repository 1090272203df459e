"""django-simple-history with Russian names for the history models.

The library names them «historical <verbose name>» in English, and the admin shows that name in its
breadcrumbs and titles; here it reads «<verbose name> (история)».
"""

from django.utils.text import format_lazy
from simple_history.models import HistoricalRecords as LibraryHistoricalRecords


class HistoricalRecords(LibraryHistoricalRecords):
    def get_meta_options(self, model) -> dict:
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy("{} (история)", model._meta.verbose_name)
        if not self.user_set_verbose_name_plural:
            options["verbose_name_plural"] = format_lazy("{} (история)", model._meta.verbose_name_plural)
        return options
