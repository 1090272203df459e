"""Two editions of a roadmap compared: added, removed and changed activities field by field."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from roadmaps import services
from roadmaps.models import Activity, Roadmap
from roadmaps.selectors.editions import NOW, ORIGINAL, compare_states, edition_states, state_before
from tests import factories


def _at(day: int):
    return time_machine.travel(timezone.make_aware(datetime.datetime(2025, 2, day, 10)), tick=False)


def _edit(actor, activity: Activity, **fields) -> Activity:
    activity = Activity.objects.get(pk=activity.pk)
    return services.activity_update(
        actor=actor, activity=activity, expected_version=activity.version, **fields
    )


def _roadmap_with_two_editions(world, *, extra: int = 0) -> tuple[Roadmap, list]:
    """Approved on day 1 with sections and activities; edition 1 (days 2–4) changes a deadline and the
    responsible text, adds an activity, removes one; edition 2 (day 5, still open) renames one."""
    with _at(1):
        roadmap = factories.RoadmapFactory(
            owner=world.region_org, title="План", year_start=2025, year_end=2026, edition=False
        )
        first = factories.SectionFactory(roadmap=roadmap, number="1.", title="Кадры")
        second = factories.SectionFactory(roadmap=roadmap, number="2.", title="Методика", position=1)
        kept = factories.ActivityFactory(
            roadmap=roadmap, section=first, number="1.1.", title="Семинар", deadline_text="до 15.05.2025",
            responsible_text="ДО",
        )  # fmt: skip
        dropped = factories.ActivityFactory(roadmap=roadmap, section=first, number="1.2.", title="Конкурс")
        renamed = factories.ActivityFactory(roadmap=roadmap, section=second, number="2.1.", title="Форум")
        for index in range(extra):
            factories.ActivityFactory(
                roadmap=roadmap, section=second, number=f"3.{index + 1}.", title="Тот же"
            )
        factories.ResponsibilityFactory(activity=kept, organization=world.school)
    with _at(2):
        edition = services.revision_open(
            actor=world.staff, roadmap=roadmap, date=datetime.date(2025, 2, 2), summary="Сроки и состав"
        )
    with _at(3):
        _edit(world.staff, kept, deadline_text="до 15.06.2025", responsible_text="ДО, СОШ № 1")
        services.responsibility_assign(
            actor=world.staff, activities=[Activity.objects.get(pk=kept.pk)], organization=world.other_school
        )
        services.activity_create(
            actor=world.staff, roadmap=roadmap, number="2.2.", title="Новая олимпиада", section=second,
            deadline_text="Октябрь 2025 года", planned_result="Проведена олимпиада",
        )  # fmt: skip
        services.activity_delete(actor=world.staff, activity=Activity.objects.get(pk=dropped.pk))
    with _at(4):
        services.revision_put_in_force(actor=world.staff, revision=edition)
    with _at(5):
        later = services.revision_open(
            actor=world.staff, roadmap=roadmap, date=datetime.date(2025, 2, 5), summary="Название"
        )
    with _at(6):
        _edit(world.staff, renamed, title="Региональный форум")
    return Roadmap.objects.get(pk=roadmap.pk), [edition, later]


def _rows(comparison) -> dict[str, tuple]:
    return {
        row.number: (row.kind, group.title, {c.name: (c.before, c.after) for c in row.changes})
        for group in comparison.groups
        for row in group.rows
    }


def test_an_edition_against_the_one_before_lists_what_it_changed(world):
    roadmap, (edition, later) = _roadmap_with_two_editions(world)
    states = edition_states(roadmap=roadmap)
    assert [s.key for s in states] == [ORIGINAL, str(edition.pk), str(later.pk), NOW]
    by_key = {s.key: s for s in states}

    comparison = compare_states(
        roadmap=roadmap, states=states, before=state_before(states, edition), after=by_key[str(edition.pk)]
    )
    rows = _rows(comparison)
    assert (comparison.added, comparison.removed, comparison.changed, comparison.unchanged) == (1, 1, 1, 1)
    assert rows["1.1."] == (
        "changed",
        "1. Кадры",
        {
            "deadline_text": ("до 15.05.2025", "до 15.06.2025"),
            "responsible_text": ("ДО", "ДО, СОШ № 1"),
            "responsibilities": ("СОШ № 1", "СОШ № 1; СОШ № 2"),
        },
    )
    assert rows["1.2."][:2] == ("removed", "1. Кадры")
    assert rows["2.2."][:2] == ("added", "2. Методика")
    added = next(row for group in comparison.groups for row in group.rows if row.number == "2.2.")
    assert added.values["Планируемый результат"] == "Проведена олимпиада"
    assert "2.1." not in rows  # renamed only in the later edition
    assert [group.title for group in comparison.groups] == ["1. Кадры", "2. Методика"]


def test_an_edition_and_now(world):
    roadmap, (edition, _later) = _roadmap_with_two_editions(world)
    states = edition_states(roadmap=roadmap)
    by_key = {s.key: s for s in states}
    comparison = compare_states(
        roadmap=roadmap, states=states, before=by_key[str(edition.pk)], after=by_key[NOW]
    )
    assert _rows(comparison) == {
        "2.1.": ("changed", "2. Методика", {"title": ("Форум", "Региональный форум")})
    }
    whole = compare_states(roadmap=roadmap, states=states, before=by_key[ORIGINAL], after=by_key[NOW])
    assert (whole.added, whole.removed, whole.changed) == (1, 1, 2)


def test_the_page_from_the_edition_link_is_printable(client, world):
    roadmap, (edition, _later) = _roadmap_with_two_editions(world)
    client.force_login(world.observer)
    detail = client.get(reverse("roadmaps:revision-detail", args=[edition.pk])).content.decode()
    link = f"{reverse('roadmaps:roadmap-compare', args=[roadmap.pk])}?edition={edition.pk}"
    assert link in detail
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<div class="edition-compare">' in html  # its print rules are in portal.css (@media print)
    assert "до 15.05.2025" in html and "до 15.06.2025" in html and "Новая олимпиада" in html
    assert "Региональный форум" not in html
    # Chosen in either order, the older is on the left.
    swapped = client.get(
        reverse("roadmaps:roadmap-compare", args=[roadmap.pk]), {"from": "now", "to": "original"}
    )
    assert swapped.context["comparison"].before.key == ORIGINAL
    # Garbage keys fall back to the original against now.
    odd = client.get(reverse("roadmaps:roadmap-compare", args=[roadmap.pk]), {"from": "x'", "to": "99999"})
    assert (odd.context["comparison"].before.key, odd.context["comparison"].after.key) == (ORIGINAL, NOW)


@pytest.mark.parametrize("extra", [0, 25])
def test_the_comparison_page_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries, extra):
    roadmap, (_edition, _later) = _roadmap_with_two_editions(world, extra=extra)
    client.force_login(world.staff)
    url = reverse("roadmaps:roadmap-compare", args=[roadmap.pk])
    client.get(url)  # session, permissions cached alike for both sizes
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(url, {"from": ORIGINAL, "to": NOW})
    assert response.context["comparison"].unchanged == extra  # 1.1. and 2.1. changed, 1.2. removed


COMPARE_QUERIES = 9  # the session and user, the roadmap, the editions, four history reads, names


def test_an_edition_that_came_with_the_document_lists_the_activities_citing_it(world):
    """An imported document carries only its final text: history has nothing between its editions, so
    the comparison names the activities the document marks with the edition instead of showing nothing."""
    with _at(1):
        roadmap = factories.RoadmapFactory(owner=world.region_org, title="План", edition=False)
        act = factories.LegalActFactory(number="245-р", date=datetime.date(2025, 1, 20))
        cited = "(в ред. приказа от 20.01.2025 № 245-р)"
        factories.ActivityFactory(roadmap=roadmap, number="2.", title="Форум", revision_note=cited)
        factories.ActivityFactory(roadmap=roadmap, number="1.", title="Семинар", revision_note=cited)
        factories.ActivityFactory(roadmap=roadmap, number="3.", title="Конкурс")
        revision = services.revision_record(
            actor=world.staff, roadmap=roadmap, date=act.date, summary="по документу", act=act
        )
    states = edition_states(roadmap=roadmap)
    after = next(s for s in states if s.key == str(revision.pk))
    comparison = compare_states(
        roadmap=roadmap, states=states, before=state_before(states, revision), after=after
    )
    assert comparison.total == 0
    assert comparison.cited == [("1.", "Семинар"), ("2.", "Форум")]
