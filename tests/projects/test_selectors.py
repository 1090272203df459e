"""Who sees which projects and participants, and the «500+» progress numbers on a data set counted by hand."""

from __future__ import annotations

import datetime

from organizations.models import Membership
from projects import selectors
from projects.models import Participant
from roadmaps import outcomes
from roadmaps.models import Roadmap
from tests import factories

AS_OF = datetime.date(2025, 6, 1)


def _visible(user) -> set[str]:
    return set(selectors.projects_visible_to(user).values_list("code", flat=True))


def test_staff_see_national_federal_and_their_regions_projects(world, projects):
    everywhere = {"obrazovanie", "500plus"}
    for persona in (world.staff, world.analyst, world.observer, world.coordinator):
        assert _visible(persona) == everywhere | {"tomsk-500"}, persona
    for persona in (world.outsider, world.outsider_coordinator):
        assert _visible(persona) == everywhere | {"sakhalin"}, persona


def test_nobody_without_a_membership_sees_a_project(world, projects):
    assert _visible(factories.UserFactory(username="nobody")) == set()


def test_a_foreign_regions_project_with_a_participant_in_scope_is_visible(world, projects):
    Participant.objects.create(project=projects.foreign_regional, organization=world.school)
    assert "sakhalin" in _visible(world.coordinator)
    assert "sakhalin" in _visible(world.staff)


def test_participants_are_seen_only_within_the_scope(world, projects):
    def names(user):
        return {
            p.organization.short_name
            for p in selectors.participant_filtered(user=user, project=projects.federal)
        }

    assert names(world.staff) == {"СОШ № 1"}
    assert names(world.coordinator) == {"СОШ № 1"}
    assert names(world.outsider) == {"Школа МО"}
    assert names(factories.UserFactory(username="root", is_superuser=True)) == {"СОШ № 1", "Школа МО"}


def test_the_tree_goes_national_federal_regional(world, projects):
    nodes = selectors.project_tree(user=world.staff)
    assert [(n.project.code, n.depth) for n in nodes] == [
        ("obrazovanie", 0),
        ("500plus", 1),
        ("tomsk-500", 2),
    ]


def _checkpoint(activity, status, due, actual=None):
    return factories.CheckpointFactory(
        activity=activity, status=status, planned_start=due - datetime.timedelta(days=30), planned_due=due,
        actual_date=actual,
    )  # fmt: skip


def test_progress_is_counted_by_the_dashboards_rule(world, projects):
    """The school answers for A1 (six checkpoints) and shares A3 with the other school, which also answers
    for A2. As of 01.06.2025, by hand:

    A1: done on time (due 31.01, done 20.01), done late (due 28.02, done 10.03), overdue (due 31.03,
        planned), upcoming (due 30.09), on review (reported), cancelled (not counted).
    A2: overdue (due 30.04, returned).  A3: done on time (due 31.05, done 15.05).
    A draft roadmap of the project and an approved roadmap of no project add checkpoints that never count.

    СОШ № 1: done 3 (A1 ×2, A3), total 6 (A1 five not cancelled, A3), overdue 1.
    СОШ № 2: done 1 (A3), total 2 (A2, A3), overdue 1.
    """
    roadmap = factories.RoadmapFactory(owner=world.region_org, project=projects.federal)
    a1, a2, a3 = (factories.ActivityFactory(roadmap=roadmap) for _ in range(3))
    for activity, schools in ((a1, [world.school]), (a2, [world.other_school]),
                              (a3, [world.school, world.other_school])):  # fmt: skip
        for school in schools:
            factories.ResponsibilityFactory(activity=activity, organization=school)
    d = datetime.date
    _checkpoint(a1, outcomes.DONE, d(2025, 1, 31), d(2025, 1, 20))
    _checkpoint(a1, outcomes.DONE, d(2025, 2, 28), d(2025, 3, 10))
    _checkpoint(a1, outcomes.PLANNED, d(2025, 3, 31))
    _checkpoint(a1, outcomes.PLANNED, d(2025, 9, 30))
    _checkpoint(a1, outcomes.REPORTED, d(2025, 5, 31), d(2025, 5, 20))
    _checkpoint(a1, outcomes.CANCELLED, d(2025, 4, 30))
    _checkpoint(a2, outcomes.RETURNED, d(2025, 4, 30), d(2025, 4, 1))
    _checkpoint(a3, outcomes.DONE, d(2025, 5, 31), d(2025, 5, 15))
    for other in (
        factories.RoadmapFactory(
            owner=world.region_org, project=projects.federal, status=Roadmap.Status.DRAFT
        ),
        factories.RoadmapFactory(owner=world.region_org),
    ):
        activity = factories.ActivityFactory(roadmap=other)
        factories.ResponsibilityFactory(activity=activity, organization=world.school)
        _checkpoint(activity, outcomes.PLANNED, d(2025, 1, 31))
    Participant.objects.create(project=projects.federal, organization=world.other_school)

    _page, rows = selectors.participant_page(
        user=world.staff, project=projects.federal, as_of=AS_OF, page=None
    )
    found = _numbers(rows)
    assert found == {"СОШ № 1": (3, 6, 1), "СОШ № 2": (1, 2, 1)}
    # The download counts the same.
    everything = selectors.participant_rows_all(user=world.staff, project=projects.federal, as_of=AS_OF)
    assert _numbers(everything) == found


def _numbers(rows) -> dict[str, tuple[int, int, int]]:
    return {
        row.participant.organization.short_name: (row.counts.done, row.counts.total, row.counts.overdue)
        for row in rows
    }


def test_filters_by_name_municipality_and_curator(world, projects):
    district = factories.MunicipalityFactory(region=world.region_org.region, name="Асиновский район")
    world.other_school.municipality = district
    world.other_school.save()
    Participant.objects.create(
        project=projects.federal, organization=world.other_school, curator_name="Текст"
    )

    def names(**filters):
        found = selectors.participant_filtered(user=world.staff, project=projects.federal, **filters)
        return [p.organization.short_name for p in found]

    assert names(text="№ 2") == ["СОШ № 2"]
    assert names(municipality=district.pk) == ["СОШ № 2"]
    assert names(curator=f"u{projects.curator.pk}") == ["СОШ № 1"]
    assert names(curator=f"o{world.region_org.pk}") == ["СОШ № 1"]
    municipalities, curators = selectors.participant_filter_choices(
        user=world.staff, project=projects.federal
    )
    assert municipalities == [(district.pk, "Асиновский район")]
    assert dict(curators) == {f"o{world.region_org.pk}": "ДО", f"u{projects.curator.pk}": "Кураторов Пётр"}


def test_pasted_lines_find_organisations_by_inn_or_name_within_staff_scope(world, projects):
    world.other_school.inn = "7017000001"
    world.other_school.save()
    resolved = selectors.organizations_from_lines(
        user=world.staff, text="7017000001\n  сош №1 \nШкола МО\nНет такой\n"
    )
    assert resolved.organizations == [world.other_school, world.school]
    assert resolved.unknown == ["Школа МО", "Нет такой"]


def test_curator_people_are_members_of_active_organisations_in_scope(world, projects):
    closed = factories.OrganizationFactory(
        parent=world.region_org, region=world.region_org.region, is_active=False
    )
    only_there = factories.UserFactory(username="closed-member")
    Membership.objects.create(user=only_there, organization=closed, role=Membership.Role.COORDINATOR)
    people = set(selectors.curator_people_for(user=world.staff).values_list("username", flat=True))
    assert {"staff", "coordinator", "analyst", "observer", "curator"} <= people
    assert "closed-member" not in people
    assert "outsider" not in people
    assert closed not in selectors.curator_organizations_for(user=world.staff)


def test_the_federal_coordinator_sees_its_projects_participants_in_every_region(world, projects):
    reviewer = factories.UserFactory(username="fioko-reviewer")
    Membership.objects.create(user=reviewer, organization=projects.fioko, role=Membership.Role.OBSERVER)
    assert _visible(reviewer) == {"obrazovanie", "500plus"}
    found = selectors.participant_filtered(user=reviewer, project=projects.federal)
    assert {p.organization.short_name for p in found} == {"СОШ № 1", "Школа МО"}
    # Another project's participants stay with their regions.
    Participant.objects.create(project=projects.regional, organization=world.school)
    assert not selectors.participant_filtered(user=reviewer, project=projects.regional).exists()
