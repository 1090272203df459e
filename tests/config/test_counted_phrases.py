"""Counted phrases take the three Russian forms (the catalogue's Plural-Forms rule): the import result,
the roadmap page's figures."""

import pytest
from django.urls import reverse
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


def test_the_roadmap_page_counts_in_the_russian_forms(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("roadmaps:roadmap-detail", args=[world.roadmap.pk])).content.decode()
    assert "<b>1</b><span>мероприятие</span>" in body
    assert "<b>1</b><span>контрольная точка</span>" in body
