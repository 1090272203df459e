"""The projects admin keeps working for superusers, the curator person field included."""

from __future__ import annotations

from django.urls import reverse

from tests import factories


def test_superusers_open_the_projects_admin(client, world, projects):
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    for url in (
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[projects.federal.pk]),
        reverse("admin:projects_participant_changelist"),
        reverse("admin:projects_participant_change", args=[projects.participant.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Кураторов" in client.get(reverse("admin:projects_participant_changelist")).content.decode()


def test_the_admin_refuses_a_curator_who_is_not_a_member_of_the_curator_organisation(client, world, projects):
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:projects_participant_change", args=[projects.participant.pk])
    response = client.post(
        url,
        {"project": projects.federal.pk, "organization": world.school.pk, "curator": world.region_org.pk,
         "curator_user": world.outsider.pk, "curator_name": "", "note": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Куратор должен состоять в организации-кураторе." in response.content.decode()
    projects.participant.refresh_from_db()
    assert projects.participant.curator_user == projects.curator
