"""The import result counts activities in the three Russian forms (the catalogue's Plural-Forms rule)."""

import pytest
from django.utils import translation

from roadmaps.views.importing import imported_message


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "мероприятие"),
        (2, "мероприятия"),
        (5, "мероприятий"),
        (11, "мероприятий"),
        (21, "мероприятие"),
        (23, "мероприятия"),
    ],
)
def test_the_import_message_takes_the_russian_plural_form(count, word):
    with translation.override("ru"):
        assert imported_message(count) == f"Дорожная карта импортирована: {count} {word}."
