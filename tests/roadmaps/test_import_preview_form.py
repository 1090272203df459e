"""The import preview: title, period, level, owner and project corrected before saving; a refused
form comes back with what the person typed."""

import re

import pytest
from django.urls import reverse

from roadmaps.models import Roadmap
from tests import factories
from tests.roadmaps.uploads import preview_after_upload

pytestmark = pytest.mark.django_db

PLAN = "\n".join(
    "\t".join(row)
    for row in [
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1.", "Семинар для заместителей директоров", "Ежеквартально", "Отдел образования"],
        ["2.", "Конкурс проектов", "до 15.05.2025", "Отдел образования"],
    ]
).encode()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _preview_url(client, world, data: bytes = PLAN, name: str = "план.tsv") -> str:
    client.force_login(world.staff)
    return preview_after_upload(client, world.region_org, name, data)


def _passport(world, **changes) -> dict:
    return {
        "title": "План работы управления",
        "owner": world.region_org.pk,
        "year_start": 2025,
        "year_end": 2026,
        "level": "municipal",
        "project": "",
        **changes,
    }


def test_the_preview_offers_the_passport_with_the_documents_values(client, world):
    html = client.get(_preview_url(client, world)).content.decode()

    for name in ("title", "owner", "year_start", "year_end", "level", "project"):
        assert f'name="{name}"' in html
    assert re.search(r'name="title"[^>]*value="план"', html)


def test_period_level_owner_and_project_typed_on_the_preview_are_saved(client, world):
    project = factories.ProjectFactory(name="Успех каждого ребёнка")
    location = _preview_url(client, world)

    response = client.post(location, _passport(world, project=project.pk))

    roadmap = Roadmap.objects.latest("pk")
    assert response["Location"] == reverse("roadmaps:roadmap-detail", args=[roadmap.pk])
    assert (roadmap.title, roadmap.period, roadmap.level, roadmap.project, roadmap.owner) == (
        "План работы управления", (2025, 2026), "municipal", project, world.region_org
    )  # fmt: skip
    quarterly = roadmap.activities.get(number="1.")
    assert quarterly.checkpoints.count() == 8  # four quarters in each of the two years typed


def test_a_refused_preview_form_keeps_what_the_person_typed_and_saves_nothing(client, world):
    location = _preview_url(client, world)
    before = Roadmap.objects.count()

    response = client.post(location, _passport(world, title="Мой план", year_start=2027, year_end=2025))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Год окончания раньше года начала." in html
    assert re.search(r'name="title"[^>]*value="Мой план"', html)
    assert re.search(r'name="year_start"[^>]*value="2027"', html)
    assert re.search(r'<option value="municipal" selected>', html)
    assert Roadmap.objects.count() == before


def test_a_refusal_from_saving_keeps_the_form_as_typed(client, world):
    data = "\n".join(
        ["Наименование показателя\tЕд. изм.\t2024\t2025", "Доля детей в кружках\t%\t70\t75"]
    ).encode()
    location = _preview_url(client, world, data, "показатели.tsv")

    response = client.post(location, _passport(world, title="Показатели", year_start=2025, year_end=2025))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Год 2024 вне периода дорожной карты 2025" in html
    assert re.search(r'name="title"[^>]*value="Показатели"', html)
    assert not Roadmap.objects.filter(title="Показатели").exists()


def test_an_owner_outside_the_persons_scope_is_refused(client, world):
    location = _preview_url(client, world)

    response = client.post(location, _passport(world, owner=world.foreign_org.pk))

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Roadmap.objects.filter(owner=world.foreign_org, title="План работы управления").exists()


@pytest.mark.parametrize("activities", [2, 60])
def test_the_preview_costs_the_same_queries_for_a_short_and_a_long_document(
    client, world, django_assert_num_queries, activities
):
    rows = [["№", "Мероприятие", "Срок", "Ответственный"]]
    rows += [[f"{n}.", f"Мероприятие {n}", "2025", f"МБОУ СОШ № {n}"] for n in range(1, activities + 1)]
    location = _preview_url(client, world, "\n".join("\t".join(r) for r in rows).encode())

    # 1 session; 2 user; 3 the upload with its stored parse; 4 memberships (scope); 5 the owner in the
    # person's scope; 6 organisations the spellings may be mapped to (the owner's subtree); 7 the region's
    # organisations and 8 their known spellings (matching); 9 owners for the owner select; 10 projects.
    with django_assert_num_queries(10):
        response = client.get(location)
    assert response.status_code == 200
    assert response.content.decode().count('<select name="org-') == activities


def test_changing_the_owner_on_the_preview_matches_the_organisations_again_before_saving(client, world):
    district = factories.OrganizationFactory(
        parent=world.region_org, region=world.region_org.region, kind="municipal_authority"
    )
    location = _preview_url(client, world)
    before = Roadmap.objects.count()

    response = client.post(location, _passport(world, owner=district.pk))

    token = re.search(r"/import/([0-9a-f]+)/", location).group(1)
    assert response["Location"] == reverse("roadmaps:import-preview", args=[token, district.pk])
    assert Roadmap.objects.count() == before
    assert client.get(response["Location"]).status_code == 200
