"""The directory's pages cost the same queries for a small tree and a larger one (pinned)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Organization
from tests import factories

LIST = reverse("organizations:organization-list")


def _grow(world, schools: int) -> Organization:
    """A district under the authority with `schools` schools, and as many again directly under it."""
    region = world.region_org.region
    district = factories.OrganizationFactory(
        parent=world.region_org, region=region, kind=Organization.Kind.MUNICIPAL_AUTHORITY
    )
    for _ in range(schools):
        factories.OrganizationFactory(parent=district, region=region)
        factories.OrganizationFactory(parent=world.region_org, region=region)
    return district


# Every page starts with: the session, the user, the user's memberships (their scope, read once).
BASE = 3


@pytest.mark.parametrize("schools", [3, 120])
def test_the_tree_top_costs_the_same_queries_for_any_size(client, world, django_assert_num_queries, schools):
    _grow(world, schools)
    client.force_login(world.staff)
    # + the count of the scope's tops, the page of them with their active children counted
    with django_assert_num_queries(BASE + 2):
        response = client.get(LIST)
    assert world.region_org.short_name in response.content.decode()


@pytest.mark.parametrize("schools", [3, 120])
def test_one_level_of_the_tree_costs_the_same_queries_for_any_size(
    client, world, django_assert_num_queries, schools
):
    district = _grow(world, schools)
    client.force_login(world.staff)
    # + the node, its ancestors in the scope, the count of its children, the page of them with counts
    with django_assert_num_queries(BASE + 4):
        response = client.get(LIST, {"node": district.pk})
    assert response.status_code == 200


@pytest.mark.parametrize("schools", [3, 120])
def test_a_search_costs_the_same_queries_for_any_size(client, world, django_assert_num_queries, schools):
    _grow(world, schools)
    client.force_login(world.staff)
    # + the count of matches, the page of them with their parents
    with django_assert_num_queries(BASE + 2):
        response = client.get(LIST, {"q": "ОО", "kind": "school"})
    assert response.status_code == 200


@pytest.mark.parametrize("schools", [3, 120])
def test_an_organisations_page_costs_the_same_queries_for_any_size(
    client, world, django_assert_num_queries, schools
):
    district = _grow(world, schools)
    client.force_login(world.staff)
    # + the organisation with parent, region and municipality; its ancestors in the scope; the count of
    # its children and the page of them with counts; the count of its roadmaps the user sees
    with django_assert_num_queries(BASE + 5):
        response = client.get(reverse("organizations:organization-detail", args=[district.pk]))
    assert response.status_code == 200
