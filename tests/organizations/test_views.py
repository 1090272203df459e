"""The organisation directory's pages: the tree, search, an organisation's page and staff's forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations import services
from organizations.models import Municipality, Organization
from tests import factories

LIST = reverse("organizations:organization-list")


def _detail(org: Organization) -> str:
    return reverse("organizations:organization-detail", args=[org.pk])


def _district(world, name: str = "УО района") -> Organization:
    return services.organization_create(
        actor=world.staff,
        full_name=name,
        short_name=name,
        parent=world.region_org,
        kind="municipal_authority",
    )


def test_staff_see_their_authority_at_the_top_and_its_schools_one_level_down(client, world):
    client.force_login(world.staff)
    top = client.get(LIST).content.decode()
    assert world.region_org.short_name in top
    assert "2 организации" in top
    assert world.school.short_name not in top
    below = client.get(LIST, {"node": world.region_org.pk}).content.decode()
    assert world.school.short_name in below and world.other_school.short_name in below
    assert world.foreign_org.short_name not in below


def test_a_coordinator_sees_only_their_school(client, world):
    client.force_login(world.coordinator)
    body = client.get(LIST).content.decode()
    assert world.school.short_name in body
    assert world.other_school.short_name not in body
    assert client.get(LIST, {"node": world.region_org.pk}).status_code == 404


def test_search_finds_by_name_and_by_inn_within_the_scope(client, world):
    services.organization_update(
        actor=world.staff, organization=world.other_school, expected_version=1, inn="7017123456"
    )
    factories.OrganizationFactory(
        short_name="СОШ № 1 чужая", region=world.foreign_org.region, parent=world.foreign_org
    )
    client.force_login(world.staff)
    by_name = client.get(LIST, {"q": "СОШ № 1"}).content.decode()
    assert f'id="organization-{world.school.pk}"' in by_name
    assert "чужая" not in by_name
    by_inn = client.get(LIST, {"q": "7017123456"}).content.decode()
    assert f'id="organization-{world.other_school.pk}"' in by_inn
    assert f'id="organization-{world.school.pk}"' not in by_inn


def test_the_kind_filter_keeps_one_kind(client, world):
    district = _district(world)
    client.force_login(world.staff)
    body = client.get(LIST, {"kind": "municipal_authority"}).content.decode()
    assert f'id="organization-{district.pk}"' in body
    assert f'id="organization-{world.school.pk}"' not in body


def test_inactive_organisations_are_hidden_from_the_tree_unless_asked(client, world):
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    client.force_login(world.staff)
    assert (
        world.other_school.short_name not in client.get(LIST, {"node": world.region_org.pk}).content.decode()
    )
    shown = client.get(LIST, {"node": world.region_org.pk, "inactive": "on"}).content.decode()
    assert world.other_school.short_name in shown and "не действует" in shown


def test_the_organisation_page_shows_details_children_and_roadmaps_count(client, world):
    client.force_login(world.staff)
    body = client.get(_detail(world.region_org)).content.decode()
    assert world.region_org.full_name in body
    assert world.school.short_name in body
    assert "<dd>2</dd>" in body  # its roadmap and its draft, both visible to its staff


def test_staff_add_a_school_under_their_authority(client, world):
    municipality = Municipality.objects.create(region=world.region_org.region, name="Томский район")
    client.force_login(world.staff)
    response = client.post(
        reverse("organizations:organization-create", args=[world.region_org.pk]),
        {"full_name": "Средняя школа № 3", "short_name": "СОШ № 3", "kind": "school", "inn": "7017000003",
         "municipality": municipality.pk, "email": "school3@example.org"},
    )  # fmt: skip
    created = Organization.objects.get(short_name="СОШ № 3")
    assert response.status_code == 302 and response.url == _detail(created)
    assert created.parent == world.region_org and created.municipality == municipality
    assert created.history.get().history_user == world.staff


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("organizations:organization-create", args=[world.region_org.pk]),
        {"full_name": "Средняя школа № 3", "short_name": "СОШ № 3", "kind": "school", "inn": "12"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Средняя школа № 3"' in body and "ИНН — 10 цифр" in body
    assert not Organization.objects.filter(short_name="СОШ № 3").exists()


def _edit(client, school: Organization, version, phone: str):
    data = {"full_name": school.full_name, "short_name": "СОШ № 1", "kind": "school", "phone": phone}
    url = reverse("organizations:organization-update", args=[school.pk])
    return client.post(url, {**data, "version": version})


def test_staff_edit_an_organisations_contacts(client, world):
    client.force_login(world.staff)
    assert _edit(client, world.school, 1, "8 (3822) 00-00-00").status_code == 302
    world.school.refresh_from_db()
    assert world.school.phone == "8 (3822) 00-00-00"


def test_an_edit_saved_on_top_of_anothers_shows_both_and_keeps_what_was_typed(client, world):
    client.force_login(world.staff)
    _edit(client, world.school, 1, "111")
    response = _edit(client, world.school, 1, "222")
    body = response.content.decode()
    assert response.status_code == 409
    assert "организацию изменил другой пользователь" in body
    assert 'value="222"' in body and "111" in body
    assert Organization.objects.get(pk=world.school.pk).phone == "111"
    # Saving again, now on top of the version shown, is deliberate and goes through.
    assert _edit(client, world.school, 2, "222").status_code == 302


def test_staff_move_a_school_to_a_district(client, world):
    district = _district(world)
    client.force_login(world.staff)
    form = client.get(reverse("organizations:organization-move", args=[world.school.pk])).content.decode()
    assert district.short_name in form
    response = client.post(
        reverse("organizations:organization-move", args=[world.school.pk]), {"parent": district.pk}
    )
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.path == f"{district.path}{world.school.pk}/"


def test_staff_cannot_move_or_deactivate_their_own_authority(client, world):
    client.force_login(world.staff)
    assert (
        client.get(reverse("organizations:organization-move", args=[world.region_org.pk])).status_code == 403
    )
    response = client.post(reverse("organizations:organization-deactivate", args=[world.region_org.pk]))
    assert response.status_code == 403
    assert Organization.objects.get(pk=world.region_org.pk).is_active


def test_deactivating_with_active_children_is_refused_with_a_message(client, world):
    district = _district(world)
    services.organization_move(actor=world.staff, organization=world.school, parent=district)
    client.force_login(world.staff)
    response = client.post(reverse("organizations:organization-deactivate", args=[district.pk]), follow=True)
    assert "Сначала переведите или отключите" in response.content.decode()
    assert Organization.objects.get(pk=district.pk).is_active


def test_staff_deactivate_and_bring_back_a_school(client, world):
    client.force_login(world.staff)
    client.post(reverse("organizations:organization-deactivate", args=[world.other_school.pk]))
    assert not Organization.objects.get(pk=world.other_school.pk).is_active
    client.post(reverse("organizations:organization-reactivate", args=[world.other_school.pk]))
    assert Organization.objects.get(pk=world.other_school.pk).is_active


def test_the_menu_links_the_directory_for_staff_only(client, world):
    client.force_login(world.staff)
    assert f'href="{LIST}"' in client.get(reverse("roadmaps:roadmap-list")).content.decode()
    client.force_login(world.coordinator)
    assert f'href="{LIST}"' not in client.get(reverse("roadmaps:roadmap-list")).content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "99999", "²"])
def test_odd_page_numbers_answer_a_page(client, world, page):
    client.force_login(world.staff)
    assert client.get(LIST, {"node": world.region_org.pk, "page": page}).status_code == 200
    assert client.get(LIST, {"node": "²"}).status_code == 200


def test_a_coordinator_sees_their_schools_page_without_the_staff_buttons(client, world):
    client.force_login(world.coordinator)
    body = client.get(_detail(world.school)).content.decode()
    assert world.school.full_name in body
    assert reverse("organizations:organization-update", args=[world.school.pk]) not in body
    assert reverse("organizations:organization-deactivate", args=[world.school.pk]) not in body


def test_other_spellings_typed_on_the_form_are_the_ones_the_importer_knows(client, world):
    from organizations.models import OrganizationAlias

    OrganizationAlias.objects.create(organization=world.school, spelling="Школа первая")
    client.force_login(world.staff)
    url = reverse("organizations:organization-update", args=[world.school.pk])
    assert "Школа первая" in client.get(url).content.decode()
    data = {"full_name": world.school.full_name, "short_name": "СОШ № 1", "kind": "school", "version": 1}
    typed = "МБОУ СОШ № 1\nСредняя школа №1 г. Томска"
    assert client.post(url, {**data, "spellings": typed}).status_code == 302
    spellings = OrganizationAlias.objects.filter(organization=world.school)
    assert sorted(spellings.values_list("spelling", flat=True)) == typed.splitlines()
    assert {alias.confirmed_by for alias in spellings} == {world.staff}
    assert OrganizationAlias.history.filter(history_type="-", history_user=world.staff).count() == 1
