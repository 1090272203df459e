"""«Вы действуете от»: a person with several memberships narrows their scope to one of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations import people, services
from organizations.acting import SESSION_KEY
from organizations.models import Membership
from organizations.scope import user_scope
from roadmaps.models import Roadmap
from tests import factories

ACTING = reverse("organizations:people-acting")
ROADMAPS = reverse("roadmaps:roadmap-list")
MY_CHECKPOINTS = reverse("roadmaps:my-checkpoints")


@pytest.fixture
def both(world) -> Membership:
    """Staff of the authority is also the coordinator of a school under it: that second membership."""
    return Membership.objects.create(
        user=world.staff, organization=world.school, role=Membership.Role.COORDINATOR
    )


def _staff_membership(world) -> Membership:
    return Membership.objects.get(user=world.staff, role=Membership.Role.STAFF)


def _act(client, membership: Membership | None, next_url: str = ROADMAPS):
    return client.post(ACTING, {"membership": membership.pk if membership else "", "next": next_url})


def test_without_a_choice_the_scope_is_the_union_of_all_memberships(world, both):
    scope = user_scope(world.staff)

    assert scope.acting is None
    assert scope.has_role("staff") and scope.has_role("coordinator")


def test_acting_as_the_coordinator_narrows_the_scope_to_that_school_and_role(world, both):
    world.staff._acting_membership_id = both.pk
    scope = user_scope(world.staff)

    assert scope.acting.pk == both.pk
    assert scope.has_role("coordinator") and not scope.has_role("staff")
    assert scope.paths() == (world.school.path,)
    # The coordinator sees the approved roadmap the school answers for, no longer the authority's draft.
    assert set(Roadmap.objects.visible_in(scope)) == {world.roadmap}
    assert not Roadmap.objects.editable_in(scope).exists()


def test_acting_as_staff_leaves_out_the_coordinators_side(world, both):
    world.staff._acting_membership_id = _staff_membership(world).pk
    scope = user_scope(world.staff)

    assert scope.has_role("staff") and not scope.has_role("coordinator")
    assert set(Roadmap.objects.editable_in(scope)) == {world.roadmap, world.draft}


def test_acting_as_coordinator_takes_away_the_staff_rights_on_people(world, both):
    world.staff._acting_membership_id = both.pk

    assert not people.can_manage_people(actor=world.staff, organization=world.school)
    assert not world.staff.has_perm("organizations.manage_organization", world.school)


def test_a_choice_of_a_removed_membership_falls_back_to_the_union(world, both):
    world.staff._acting_membership_id = both.pk
    both.delete()
    scope = user_scope(world.staff)

    assert scope.acting is None and scope.acting_lost
    assert scope.has_role("staff")


def test_a_choice_of_a_deactivated_organisation_falls_back_and_is_not_offered(world, both):
    services.organization_set_active(actor=world.staff, organization=world.school, active=False)
    person = type(world.staff).objects.get(pk=world.staff.pk)  # as the next request reads them
    person._acting_membership_id = both.pk
    scope = user_scope(person)

    assert scope.acting is None and scope.acting_lost
    assert scope.has_role("staff")
    assert [m.pk for m in scope.choices] == [_staff_membership(world).pk]


def test_switching_in_the_browser_changes_the_navigation_and_the_header(client, world, both):
    client.force_login(world.staff)
    page = client.get(ROADMAPS).content.decode()
    assert "все мои организации" in page and "Мои мероприятия" in page and "Проверка отчётов" in page

    response = _act(client, both)

    assert response.status_code == 302 and response["Location"] == ROADMAPS
    assert client.session[SESSION_KEY] == both.pk
    page = client.get(ROADMAPS).content.decode()
    assert "Вы действуете от:" in page and "СОШ № 1 (координатор)" in page
    assert "Мои мероприятия" in page and "Проверка отчётов" not in page
    assert world.draft.title not in page


def test_switching_back_to_all_memberships_forgets_the_choice(client, world, both):
    client.force_login(world.staff)
    _act(client, both)

    response = _act(client, None)

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "Проверка отчётов" in client.get(ROADMAPS).content.decode()


def test_a_page_no_longer_visible_after_the_switch_sends_home(client, world, both):
    client.force_login(world.staff)
    draft_url = reverse("roadmaps:roadmap-detail", args=[world.draft.pk])

    response = _act(client, both, next_url=draft_url)
    assert response["Location"] == draft_url
    response = client.get(draft_url)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    # Home sends a coordinator to their checkpoints; and the same page asked again later is a plain 404.
    assert client.get(reverse("home"))["Location"] == MY_CHECKPOINTS
    assert client.get(draft_url).status_code == 404


def test_an_outside_next_address_goes_home(client, world, both):
    client.force_login(world.staff)

    response = _act(client, both, next_url="https://example.org/")

    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("whose", ["coordinator", "outsider"])
def test_switching_to_a_membership_one_does_not_have_is_404(client, world, both, whose):
    client.force_login(world.staff)
    foreign = Membership.objects.get(user=getattr(world, whose))

    assert _act(client, foreign).status_code == 404
    assert client.post(ACTING, {"membership": "abc"}).status_code == 404
    assert SESSION_KEY not in client.session


def test_switching_to_a_membership_of_a_deactivated_organisation_is_404(client, world, both):
    services.organization_set_active(actor=world.staff, organization=world.school, active=False)
    client.force_login(world.staff)

    assert _act(client, both).status_code == 404


def test_a_membership_removed_while_chosen_falls_back_with_a_message(client, world, both):
    client.force_login(world.staff)
    _act(client, both)
    people.membership_remove(actor=_other_staff(world), membership=both)

    page = client.get(ROADMAPS)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Выбранная роль больше недоступна" in text and "Проверка отчётов" in text
    assert SESSION_KEY not in client.session  # said once, then forgotten


def _other_staff(world):
    other = factories.UserFactory(username="second-staff")
    Membership.objects.create(user=other, organization=world.region_org, role=Membership.Role.STAFF)
    return other


def test_a_person_with_one_membership_sees_the_line_but_no_switcher(client, world):
    client.force_login(world.coordinator)

    page = client.get(MY_CHECKPOINTS).content.decode()

    assert "Вы действуете от:" in page and "СОШ № 1 (координатор)" in page
    assert 'name="membership"' not in page


def test_a_celery_task_or_command_without_a_session_keeps_the_union(world, both):
    # A user read afresh (as a task does, by id) has no choice attached.
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=world.staff.pk)

    assert user_scope(fresh).has_role("staff") and user_scope(fresh).has_role("coordinator")


@pytest.mark.parametrize("schools", [1, 30])
@pytest.mark.parametrize("chosen", [False, True])
def test_the_header_and_switcher_cost_no_query_of_their_own(
    client, world, both, django_assert_num_queries, schools, chosen
):
    for _ in range(schools):
        school = factories.OrganizationFactory(parent=world.region_org, region=world.region_org.region)
        Membership.objects.create(user=world.staff, organization=school, role=Membership.Role.OBSERVER)
    client.force_login(world.staff)
    if chosen:
        _act(client, _staff_membership(world))
        client.get(ROADMAPS)  # the page the switch returns to (it forgets where the switch was made)
    # The session, the user, the memberships (the scope, with the names the header shows), then the
    # directory's top: the count of the scope's tops and the page of them — as in
    # tests/organizations/test_queries.py for a person with one membership.
    with django_assert_num_queries(5):
        response = client.get(reverse("organizations:organization-list"))
    assert response.status_code == 200
    assert ('name="membership"' in response.content.decode()) is True
