"""The admin speaks Russian: titles name the model in the accusative, lists count it in three forms, no
English column headers, no «None» — on every registered model's list, add, change and history pages."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from config.admin_names import ADMIN_NAMES, counted
from organizations.models import Organization
from roadmaps.models import Roadmap
from tests.config.test_admin import REGISTERED, _foreign_objects, _history_id

HIDDEN = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
HEADER = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)  # a list's first column is a <th> too, with the data
ENGLISH = ("None", "Select ", "Add ", "View history", "Historical", "historical", "Changed by", "Changes")
# django-axes' pages keep the library's column names (IP, User Agent); their titles are checked all the same.
OWN_APPS = {"organizations", "projects", "roadmaps", "reports", "auth"}


def _text(html: str) -> str:
    return HIDDEN.sub(" ", html)


def _pages(model, obj, superuser) -> list[str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [
        reverse(f"{info}_changelist"),
        reverse(f"{info}_change", args=[obj.pk]),
        reverse(f"{info}_history", args=[obj.pk]),
    ]
    request = RequestFactory().get("/")
    request.user = superuser
    if admin.site._registry[model].has_add_permission(request):  # the read-only ones answer 403 by design
        urls.append(reverse(f"{info}_add"))
    history_id = _history_id(obj)
    if history_id:
        with contextlib.suppress(NoReverseMatch):  # a history admin only
            urls.append(reverse(f"{info}_simple_history", args=[obj.pk, history_id]))
    return urls


def test_every_registered_models_pages_are_in_russian(client, world):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    objects = _foreign_objects(world)
    problems = []
    for model in REGISTERED:
        for url in _pages(model, objects[model], world.staff):
            response = client.get(url)
            html = response.content.decode()
            if response.status_code != 200:
                problems.append(f"{url}: {response.status_code}")
                continue
            text = _text(html)
            problems += [f"{url}: «{word}»" for word in ENGLISH if word in text]
            if "fioko_form" in text:  # a report kind's code instead of its title
                problems.append(f"{url}: «fioko_form»")
            if model._meta.app_label in OWN_APPS:
                problems += [
                    f"{url}: header «{header.strip()}»"
                    for head in HEAD.findall(html)
                    for header in map(_text, HEADER.findall(head))
                    if re.search(r"[A-Za-z]{2,}", header) and header.strip() != "ID"
                ]
    assert not problems, "\n".join(problems)


def test_titles_and_buttons_name_the_model_in_the_accusative(client, world):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    roadmaps = client.get(reverse("admin:roadmaps_roadmap_changelist")).content.decode()
    assert "<h1>Выберите дорожную карту для просмотра</h1>" in roadmaps
    organizations = client.get(reverse("admin:organizations_organization_changelist")).content.decode()
    assert "<h1>Выберите организацию для изменения</h1>" in organizations
    assert re.search(r'class="addlink">\s*Добавить организацию\s*</a>', organizations)
    count = Organization.objects.count()
    assert counted(Organization, count) in _text(organizations)
    added = client.get(reverse("admin:organizations_organization_add")).content.decode()
    assert "<h1>Добавить организацию</h1>" in added
    change = reverse("admin:roadmaps_roadmap_change", args=[world.roadmap.pk])
    assert "<h1>Просмотреть дорожную карту</h1>" in client.get(change).content.decode()
    history = client.get(reverse("admin:roadmaps_roadmap_history", args=[world.roadmap.pk])).content.decode()
    assert f"История изменений: {world.roadmap}" in history
    assert "Кто изменил" in history and "Что изменилось" in history


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 дорожная карта"),
        (2, "2 дорожные карты"),
        (5, "5 дорожных карт"),
        (11, "11 дорожных карт"),
        (21, "21 дорожная карта"),
        (23, "23 дорожные карты"),
    ],
)
def test_a_list_counts_the_model_in_three_forms(count, expected):
    assert counted(Roadmap, count) == expected


def test_every_registered_model_has_its_accusative():
    missing = [model._meta.label_lower for model in REGISTERED if model._meta.label_lower not in ADMIN_NAMES]
    assert not missing


def test_history_models_are_named_in_russian():
    assert str(Roadmap.history.model._meta.verbose_name) == "дорожная карта (история)"
