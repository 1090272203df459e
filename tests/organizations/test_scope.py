import pytest

from organizations.models import Membership, Organization
from organizations.scope import user_scope
from roadmaps.models import Roadmap
from tests import factories


def test_membership_scope_is_the_organisation_subtree(world):
    grandchild = factories.OrganizationFactory(parent=world.school)
    scope = user_scope(world.staff)

    covered = set(Organization.objects.filter(scope.q("path")))

    assert {world.region_org, world.school, world.other_school, grandchild} <= covered
    assert world.foreign_org not in covered


def test_moving_a_branch_moves_its_subtree(world):
    grandchild = factories.OrganizationFactory(parent=world.school)

    world.school.parent = world.foreign_org
    world.school.save()
    grandchild.refresh_from_db()

    assert grandchild.path.startswith(world.foreign_org.path)
    assert grandchild not in Organization.objects.subtree_of(world.region_org)


def test_coordinator_sees_approved_roadmaps_they_answer_for_but_not_drafts(world):
    visible = set(Roadmap.objects.visible_in(user_scope(world.coordinator)))

    assert world.roadmap in visible
    assert world.draft not in visible
    assert world.foreign_roadmap not in visible


def test_outsider_sees_only_their_own_region(world):
    visible = set(Roadmap.objects.visible_in(user_scope(world.outsider)))

    assert visible == {world.foreign_roadmap}


def test_only_staff_may_edit_within_scope(world):
    assert set(Roadmap.objects.editable_in(user_scope(world.staff))) == {world.roadmap, world.draft}
    assert not Roadmap.objects.editable_in(user_scope(world.analyst)).exists()
    assert not Roadmap.objects.editable_in(user_scope(world.coordinator)).exists()


@pytest.mark.django_db
def test_scope_is_computed_with_one_query_and_cached(django_assert_num_queries):
    membership = factories.MembershipFactory(role=Membership.Role.ANALYST)
    user = membership.user

    with django_assert_num_queries(1):  # memberships with their organisations' paths
        user_scope(user)
        user_scope(user)
