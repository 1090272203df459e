"""The «Сотрудники и координаторы» pages (organizations/views_people.py)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from organizations.models import Membership
from tests import factories

Role = Membership.Role


def _people_url(organization) -> str:
    return reverse("organizations:people-list", args=[organization.pk])


def test_staff_see_the_schools_members_with_role_last_login_and_state(client, world):
    invited = factories.UserFactory(username="invited", first_name="Олег", last_name="Сидоров")
    invited.set_unusable_password()
    invited.save()
    Membership.objects.create(user=invited, organization=world.school, role=Role.OBSERVER)
    client.force_login(world.staff)
    body = client.get(_people_url(world.school)).content.decode()
    assert "Сотрудники и координаторы" in body
    assert "Сидоров" in body and "приглашение отправлено" in body
    assert '<option value="coordinator" selected>координатор</option>' in body and "активна" in body
    assert "не входил(а)" in body


def test_the_members_list_costs_the_same_queries_for_a_small_and_a_larger_school(
    client, world, django_assert_num_queries
):
    client.force_login(world.staff)
    # 1 session, 2 user, 3 the user's memberships (scope), 4 the organisation, 5 the members with accounts.
    with django_assert_num_queries(5):
        assert client.get(_people_url(world.school)).status_code == 200
    for n in range(30):
        Membership.objects.create(
            user=factories.UserFactory(username=f"teacher{n}"), organization=world.school, role=Role.OBSERVER
        )
    client.force_login(world.staff)
    with django_assert_num_queries(5):
        assert client.get(_people_url(world.school)).status_code == 200


def test_inviting_from_the_page_mails_the_person_and_goes_back_to_the_list(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:people-invite", args=[world.school.pk]),
            {"full_name": "Кузнецова Ольга", "email": "kuz@example.org", "role": Role.COORDINATOR},
        )
    assert response.status_code == 302 and response.url == _people_url(world.school)
    assert mail.outbox[0].to == ["kuz@example.org"]
    assert Membership.objects.filter(user__email="kuz@example.org", organization=world.school).exists()


def test_an_invitation_with_a_taken_role_is_shown_again_with_the_reason(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("organizations:people-invite", args=[world.school.pk]),
        {"full_name": "Иванова Анна", "email": world.coordinator.email, "role": Role.COORDINATOR},
    )
    assert response.status_code == 400
    assert "уже есть такая роль" in response.content.decode()


def test_staff_change_a_role_and_deactivate_from_the_page(client, world):
    membership = Membership.objects.get(user=world.coordinator)
    client.force_login(world.staff)
    client.post(
        reverse("organizations:membership-role-change", args=[membership.pk]), {"role": Role.OBSERVER}
    )
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER
    response = client.post(reverse("organizations:person-deactivate", args=[membership.pk]), follow=True)
    assert "Учётная запись отключена" in response.content.decode()
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_active


def test_an_unknown_role_is_refused_with_a_message(client, world):
    membership = Membership.objects.get(user=world.coordinator)
    client.force_login(world.staff)
    response = client.post(
        reverse("organizations:membership-role-change", args=[membership.pk]), {"role": "admin"}, follow=True
    )
    assert "Выберите роль из списка" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_my_organisations_lists_every_membership_of_the_person(client, world, django_assert_num_queries):
    Membership.objects.create(user=world.coordinator, organization=world.other_school, role=Role.OBSERVER)
    client.force_login(world.coordinator)
    # 1 session, 2 user, 3 the memberships with their organisations, 4 the scope (navigation roles).
    with django_assert_num_queries(4):
        body = client.get(reverse("organizations:people-my-memberships")).content.decode()
    assert "СОШ № 1 — координатор" in body and "СОШ № 2 — наблюдатель" in body


def test_the_header_links_to_the_persons_organisations(client, world):
    client.force_login(world.coordinator)
    body = client.get(reverse("roadmaps:my-checkpoints")).content.decode()
    assert reverse("organizations:people-my-memberships") in body


def test_staff_reach_the_members_of_their_organisation_from_my_organisations(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("organizations:people-my-memberships")).content.decode()
    assert _people_url(world.region_org) in body
    client.force_login(world.coordinator)
    body = client.get(reverse("organizations:people-my-memberships")).content.decode()
    assert _people_url(world.school) not in body
