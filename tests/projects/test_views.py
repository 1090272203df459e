"""The projects pages: what they show, staff's forms, the download, and their query counts (pinned for a
small and a larger data set: equal)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import Membership, Organization
from projects.models import Participant
from roadmaps import outcomes
from tests import factories

# Every page starts with: the session, the user, the user's memberships (their scope, read once).
BASE = 3


def _grow(world, projects, schools: int) -> None:
    """`schools` schools of a district of the home region taking part in the federal project, each answering
    for an activity of the project's roadmap with an overdue and a done checkpoint, each with a curator."""
    region = world.region_org.region
    district = factories.MunicipalityFactory(region=region)
    roadmap = factories.RoadmapFactory(owner=world.region_org, project=projects.federal)
    for n in range(schools):
        school = factories.OrganizationFactory(parent=world.region_org, region=region, municipality=district)
        curator = factories.UserFactory(username=f"curator-{n}")
        Membership.objects.create(user=curator, organization=school, role=Membership.Role.COORDINATOR)
        Participant.objects.create(
            project=projects.federal, organization=school, curator=school, curator_user=curator
        )
        activity = factories.ActivityFactory(roadmap=roadmap)
        factories.ResponsibilityFactory(activity=activity, organization=school)
        factories.CheckpointFactory(activity=activity, planned_due=datetime.date(2025, 3, 31))
        factories.CheckpointFactory(
            activity=activity, status=outcomes.DONE, planned_due=datetime.date(2025, 6, 30),
            actual_date=datetime.date(2025, 6, 1),
        )  # fmt: skip


@pytest.mark.parametrize("schools", [3, 60])
def test_the_participants_page_costs_the_same_queries_for_any_size(
    client, world, projects, django_assert_num_queries, schools
):
    _grow(world, projects, schools)
    client.force_login(world.staff)
    url = reverse("projects:participant-list", args=[projects.federal.pk])
    # + the project; the municipalities and the curators for the filter; the count and the page of
    # participants with organisation, municipality and curators; their progress in one grouped query
    with django_assert_num_queries(BASE + 6):
        response = client.get(url)
    body = response.content.decode()
    assert f"{schools + 1} участник" in body
    assert body.count('id="participant-') == min(schools + 1, 50)


@pytest.mark.parametrize("schools", [3, 60])
def test_the_filtered_download_costs_the_same_queries_for_any_size(
    client, world, projects, django_assert_num_queries, schools
):
    _grow(world, projects, schools)
    client.force_login(world.staff)
    url = reverse("projects:participant-export", args=[projects.federal.pk])
    # + the project; the filter's choices (two); a batch of participants and its progress; the empty next
    with django_assert_num_queries(BASE + 6):
        response = client.get(url, {"q": "ОО"})
        data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == schools
    assert rows[0][5] == "Анна Иванова"
    assert (rows[0][6], rows[0][7], rows[0][8]) == (1, 2, 1)


@pytest.mark.parametrize("schools", [3, 60])
def test_the_project_page_and_list_cost_the_same_queries_for_any_size(
    client, world, projects, django_assert_num_queries, schools
):
    _grow(world, projects, schools)
    client.force_login(world.staff)
    # + the project; its visible children; its visible roadmaps; their outcomes; the participants' count
    # and the first ten of them with curators
    with django_assert_num_queries(BASE + 6):
        response = client.get(reverse("projects:project-detail", args=[projects.federal.pk]))
    assert f"{schools + 1} участник" in response.content.decode()
    # + the visible projects with coordinators and regions; the regions whose projects the user creates
    with django_assert_num_queries(BASE + 2):
        response = client.get(reverse("projects:project-list"))
    assert "Региональный проект 500+" in response.content.decode()


def test_the_list_shows_curators_and_progress(client, world, projects):
    _grow(world, projects, 2)
    client.force_login(world.staff)
    body = client.get(reverse("projects:participant-list", args=[projects.federal.pk])).content.decode()
    assert "Пётр Кураторов" in body
    assert "Школа МО" not in body  # another region's participant
    row = Participant.objects.filter(project=projects.federal, curator_user__username="curator-0").get()
    assert f'id="participant-{row.pk}"' in body


def test_staff_paste_names_and_inn_to_add_schools_with_a_curator(client, world, projects):
    world.other_school.inn = "7017000001"
    world.other_school.save()
    client.force_login(world.staff)
    url = reverse("projects:participant-add", args=[projects.regional.pk])
    response = client.post(
        url,
        {"organizations": "СОШ № 1\n7017000001\n", "curator": world.region_org.pk,
         "curator_user": projects.curator.pk},
    )  # fmt: skip
    assert response.status_code == 302
    added = Participant.objects.filter(project=projects.regional).order_by("organization__short_name")
    assert [(p.organization, p.curator_user) for p in added] == [
        (world.school, projects.curator),
        (world.other_school, projects.curator),
    ]


def test_a_refused_paste_keeps_what_was_typed_and_adds_nothing(client, world, projects):
    client.force_login(world.staff)
    url = reverse("projects:participant-add", args=[projects.regional.pk])
    typed = "СОШ № 1\nШкола МО\nНет такой школы"
    response = client.post(url, {"organizations": typed, "curator_name": "Петрова А. А."})
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Не найдены среди действующих организаций вашей области доступа: Школа МО; Нет такой школы." in body
    )
    assert "Нет такой школы</textarea>" in body
    assert 'value="Петрова А. А."' in body
    assert not Participant.objects.filter(project=projects.regional).exists()


def test_adding_a_school_twice_answers_in_russian(client, world, projects):
    client.force_login(world.staff)
    url = reverse("projects:participant-add", args=[projects.federal.pk])
    response = client.post(url, {"organizations": "СОШ № 1"})
    assert response.status_code == 200
    assert "Уже участвуют в проекте: «СОШ № 1»." in response.content.decode()


def test_inactive_organisations_are_not_offered(client, world, projects):
    closed = factories.OrganizationFactory(
        short_name="Закрытая школа", parent=world.region_org, region=world.region_org.region, is_active=False
    )
    client.force_login(world.staff)
    body = client.get(reverse("projects:participant-add", args=[projects.regional.pk])).content.decode()
    assert "Закрытая школа" not in body
    response = client.post(
        reverse("projects:participant-add", args=[projects.regional.pk]), {"organizations": "Закрытая школа"}
    )
    assert "Не найдены" in response.content.decode()
    assert not Participant.objects.filter(organization=closed).exists()


def test_staff_create_a_regional_project_and_a_refused_form_keeps_what_was_typed(client, world, projects):
    client.force_login(world.staff)
    url = reverse("projects:project-create")
    typed = {"code": "bad code!", "name": "Цифровая школа", "level": "regional",
             "region": world.region_org.region.pk, "year_start": 2025, "year_end": 2027}  # fmt: skip
    response = client.post(url, typed)
    assert response.status_code == 200
    assert 'value="Цифровая школа"' in response.content.decode()
    response = client.post(url, {**typed, "code": "digital", "parent": projects.federal.pk})
    assert response.status_code == 302
    project = projects.federal.children.get(code="digital")
    assert project.region == world.region_org.region
    assert project.history.get().history_user == world.staff


def test_the_nav_links_projects_for_members(client, world, projects):
    client.force_login(world.coordinator)
    body = client.get(reverse("projects:project-list")).content.decode()
    assert f'href="{reverse("projects:project-list")}"' in body
    client.force_login(factories.UserFactory(username="nobody"))
    body = client.get(reverse("roadmaps:roadmap-list")).content.decode()
    assert f'href="{reverse("projects:project-list")}"' not in body


def test_a_school_of_the_coordinator_only_is_listed_for_them(client, world, projects):
    Participant.objects.create(project=projects.federal, organization=world.other_school)
    client.force_login(world.coordinator)
    body = client.get(reverse("projects:participant-list", args=[projects.federal.pk])).content.decode()
    assert "СОШ № 1" in body
    assert "СОШ № 2" not in body
    assert Organization.objects.filter(short_name="СОШ № 2").exists()


def test_the_project_page_shows_coordinator_children_roadmaps_with_progress_and_participants(
    client, world, projects
):
    _grow(world, projects, 2)
    client.force_login(world.staff)
    body = client.get(reverse("projects:project-detail", args=[projects.federal.pk])).content.decode()
    assert "ФИОКО" in body
    assert "Региональный проект 500+" in body
    assert "Проект другой области" not in body
    roadmap = projects.federal.roadmaps.get()
    # Two schools, each with one done and one overdue checkpoint: done 2, total 4, overdue 2.
    assert f'id="roadmap-{roadmap.pk}"' in body
    row = body.split(f'id="roadmap-{roadmap.pk}"')[1].split("</tr>")[0]
    assert row.count("<td>") == 6 and "<td>2</td><td>4</td><td>2</td>" in row
    assert "Пётр Кураторов" in body
    assert "Школа МО" not in body


def test_only_staff_over_a_school_are_offered_its_curator_and_removal(client, world, projects):
    url = reverse("projects:participant-list", args=[projects.federal.pk])
    change = reverse("projects:participant-update", args=[projects.participant.pk])
    client.force_login(world.staff)
    assert change in client.get(url).content.decode()
    for persona in (world.coordinator, world.analyst):
        client.force_login(persona)
        body = client.get(url).content.decode()
        assert "СОШ № 1" in body
        assert change not in body
        assert "Исключить" not in body
