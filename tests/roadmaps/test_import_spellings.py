"""Organisation spellings on the import preview: grouped by likely identity, mapped once per group, and
remembered as the organisation's known spellings for the next import."""

import re

import pytest

from organizations.models import Organization, OrganizationAlias
from roadmaps.importing import parse_file
from roadmaps.importing.save import match_organizations, roadmap_import
from roadmaps.models import Responsibility, Roadmap
from tests import factories
from tests.roadmaps.uploads import preview_after_upload

pytestmark = pytest.mark.django_db

SPELLINGS = ["МБУ ДО ДДТ", "МБУ ДО «ДДТ»", "ДДТ"]


def _plan(*responsible: str) -> bytes:
    rows = [["№", "Мероприятие", "Срок", "Ответственный"]]
    rows += [[f"{n}.", f"Мероприятие {n}", "2025", name] for n, name in enumerate(responsible, start=1)]
    return "\n".join("\t".join(row) for row in rows).encode()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ddt(world):
    return factories.OrganizationFactory(
        full_name="Дом детского творчества", short_name="Дом творчества", parent=world.region_org,
        region=world.region_org.region,
    )  # fmt: skip


def _preview(client, world, data: bytes) -> tuple[str, str]:
    client.force_login(world.staff)
    location = preview_after_upload(client, world.region_org, "план.tsv", data)
    return location, client.get(location).content.decode()


def _confirm(client, world, location: str, **choices) -> Roadmap:
    data = {"title": "План", "owner": world.region_org.pk, "year_start": 2025, "year_end": 2025,
            "level": "regional", "project": "", **choices}  # fmt: skip
    response = client.post(location, data)
    assert response.status_code == 302, response.content.decode()
    return Roadmap.objects.latest("pk")


def test_spellings_of_one_organisation_are_offered_as_one_choice(client, world):
    _location, html = _preview(client, world, _plan(*SPELLINGS, "МБОУ СОШ № 7"))

    selects = re.findall(r'<select name="(org-\d+)"', html)
    assert selects == ["org-0", "org-1"]
    first_row = html[html.index("Организации, которых нет в справочнике") : html.index('name="org-1"')]
    assert all(f"<div>{name}</div>" in first_row for name in SPELLINGS)


def test_mapping_one_spelling_maps_the_group_and_the_second_import_needs_no_mapping(client, world, ddt):
    location, _html = _preview(client, world, _plan(*SPELLINGS))
    roadmap = _confirm(client, world, location, **{"org-0": ddt.pk})

    assert Responsibility.objects.filter(activity__roadmap=roadmap, organization=ddt).count() == 3
    remembered = OrganizationAlias.objects.filter(organization=ddt)
    # «МБУ ДО ДДТ» and «МБУ ДО «ДДТ»» are one name once quotes are ironed out: remembered once
    assert sorted(remembered.values_list("normalized", flat=True)) == ["ддт", "мбу до ддт"]
    assert {alias.history.get().history_user for alias in remembered} == {world.staff}

    location, html = _preview(client, world, _plan(*SPELLINGS))
    assert "Организации, которых нет в справочнике" not in html
    again = _confirm(client, world, location)
    assert Responsibility.objects.filter(activity__roadmap=again, organization=ddt).count() == 3


def test_a_new_organisation_created_for_a_group_takes_all_its_spellings(client, world):
    location, _html = _preview(client, world, _plan(*SPELLINGS))
    roadmap = _confirm(client, world, location, **{"org-0": "new"})

    created = Organization.objects.get(
        responsibilities__activity__number="1.", responsibilities__activity__roadmap=roadmap
    )
    assert created.short_name in SPELLINGS and created.parent == world.region_org
    assert Responsibility.objects.filter(activity__roadmap=roadmap, organization=created).count() == 3
    parsed = parse_file(_plan(*SPELLINGS), "план.tsv")
    assert match_organizations(parsed, owner=world.region_org).unknown == []


def test_a_group_with_a_spelling_already_known_is_offered_that_organisation(client, world, ddt):
    OrganizationAlias.objects.create(organization=ddt, spelling="МБУ ДО ДДТ")

    _location, html = _preview(client, world, _plan(*SPELLINGS))

    assert re.search(rf'<option value="{ddt.pk}" selected>', html)


def test_a_spelling_known_in_the_owners_subtree_wins_over_one_elsewhere_in_the_region(world, ddt):
    elsewhere = factories.OrganizationFactory(short_name="Другой ДДТ", region=world.region_org.region)
    OrganizationAlias.objects.create(organization=elsewhere, spelling="ДДТ")
    OrganizationAlias.objects.create(organization=ddt, spelling="ДДТ")
    factories.OrganizationFactory(short_name="Чужой", region=world.foreign_org.region)

    matches = match_organizations(parse_file(_plan("ДДТ"), "план.tsv"), owner=world.region_org)

    assert matches.found == {"ДДТ": ddt}


def test_a_spelling_known_only_in_another_region_is_not_matched(world):
    OrganizationAlias.objects.create(organization=world.foreign_org, spelling="ДДТ")

    roadmap = roadmap_import(
        actor=world.staff, parsed=parse_file(_plan("ДДТ"), "план.tsv"), owner=world.region_org
    )

    assert not Responsibility.objects.filter(activity__roadmap=roadmap).exists()
