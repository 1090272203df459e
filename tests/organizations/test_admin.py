"""The organisation admin writes through the services; the place in the tree and the activity are changed
only on the portal page (organizations/admin.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from organizations.models import Organization
from tests import factories


@pytest.fixture
def root_client(client, world):
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _posted_back(response) -> dict[str, Any]:
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{inline.formset.prefix}-{n}": management[n].value() for n in management.fields})
    return data


def test_the_change_form_shows_place_and_activity_as_text_with_a_link_to_the_portal(root_client, world):
    page = root_client.get(reverse("admin:organizations_organization_change", args=[world.school.pk]))

    form = page.context["adminform"].form
    assert not {"parent", "region", "is_active"} & set(form.fields)
    assert reverse("organizations:organization-detail", args=[world.school.pk]) in page.content.decode()


def test_a_change_in_the_admin_goes_through_the_update_service(root_client, world):
    url = reverse("admin:organizations_organization_change", args=[world.school.pk])
    data = _posted_back(root_client.get(url))
    # A parent and an activity sent anyway (a crafted form) are ignored: they are not fields here.
    data.update(short_name="СОШ № 1 им. Пушкина", parent=world.foreign_org.pk, is_active="")

    response = root_client.post(url, data)

    assert response.status_code == 302
    school = Organization.objects.get(pk=world.school.pk)
    assert school.short_name == "СОШ № 1 им. Пушкина"
    assert (school.parent, school.is_active) == (world.region_org, True)
    assert school.version == 2  # organization_update's optimistic-lock step
    latest = school.history.latest()
    assert latest.history_user.username == "root" and latest.short_name == "СОШ № 1 им. Пушкина"


def test_an_organisation_added_under_a_parent_goes_through_the_create_service(root_client, world):
    url = reverse("admin:organizations_organization_add")
    data = _posted_back(root_client.get(url))
    # The region given on the form is ignored: organization_create puts it in its parent's region.
    data.update(full_name="Центр оценки", short_name="ЦОКО", parent=world.region_org.pk)
    data.update(region=world.foreign_org.region_id)

    response = root_client.post(url, data)

    assert response.status_code == 302
    centre = Organization.objects.get(short_name="ЦОКО")
    assert centre.region == world.region_org.region
    assert centre.path == f"{world.region_org.path}{centre.pk}/"
    assert centre.history.latest().history_user.username == "root"


def test_an_organisation_is_not_added_under_an_inactive_parent(root_client, world):
    parent = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
    Organization.objects.filter(pk=parent.pk).update(is_active=False)
    url = reverse("admin:organizations_organization_add")
    data = _posted_back(root_client.get(url))
    data.update(full_name="Школа", short_name="Школа под закрытой", parent=parent.pk)

    response = root_client.post(url, data)

    assert response.status_code == 200
    assert not Organization.objects.filter(short_name="Школа под закрытой").exists()
