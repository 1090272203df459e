"""roadmaps/services/updating.py directly: the plan and its application, without the screens."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from roadmaps import services
from roadmaps.exporting import roadmap_to_parsed
from roadmaps.importing import parse_file
from roadmaps.importing.parsed import ParsedActivity
from roadmaps.importing.writers import write_xlsx
from roadmaps.models import Roadmap
from roadmaps.services.lifecycle import RoadmapLocked
from roadmaps.services.updating import UpdateOutdated, roadmap_update_apply, roadmap_update_plan
from tests import factories


@pytest.fixture
def roadmap(world) -> Roadmap:
    roadmap = factories.RoadmapFactory(owner=world.region_org)
    section = factories.SectionFactory(roadmap=roadmap, number="1", title="Работа с педагогами")
    for n in (1, 2):
        services.activity_create(
            actor=world.staff, roadmap=roadmap, number=f"1.{n}.", title=f"Семинар {n}", section=section,
            deadline_text="Март 2025 года",
        )  # fmt: skip
    return roadmap


def _read_back(roadmap: Roadmap):
    return parse_file(write_xlsx(roadmap_to_parsed(roadmap)), "roadmap.xlsx")


def test_a_plan_applied_changes_through_the_services(world, roadmap):
    parsed = _read_back(roadmap)
    parsed.sections[0].activities[0].planned_result = "Проведён семинар"
    parsed.sections[0].activities.append(
        ParsedActivity(number="1.3", number_as_written="1.3.", title="Конкурс", deadline_text="Май 2025 года")
    )
    plan = roadmap_update_plan(roadmap=roadmap, parsed=parsed)
    assert plan.counts() == {"added": 1, "changed": 1, "removed": 0, "unchanged": 1, "kept": 0}
    roadmap_update_apply(
        actor=world.staff,
        roadmap=roadmap,
        parsed=parsed,
        fingerprint=plan.fingerprint,
        confirm_removals=False,
    )
    assert roadmap.activities.get(number="1.1.").planned_result == "Проведён семинар"
    assert roadmap.activities.get(number="1.3.").checkpoints.count() == 1


def test_a_stale_fingerprint_writes_nothing(world, roadmap):
    parsed = _read_back(roadmap)
    parsed.sections[0].activities[0].title = "Из файла"
    with pytest.raises(UpdateOutdated):
        roadmap_update_apply(
            actor=world.staff, roadmap=roadmap, parsed=parsed, fingerprint="stale", confirm_removals=True
        )
    assert roadmap.activities.get(number="1.1.").title == "Семинар 1"


def test_a_refused_row_writes_nothing(world, roadmap):
    parsed = _read_back(roadmap)
    parsed.sections[0].activities[0].title = "Из файла"
    parsed.sections[0].activities[1].number_as_written = ""
    plan = roadmap_update_plan(roadmap=roadmap, parsed=parsed)
    with pytest.raises(ValidationError):
        roadmap_update_apply(
            actor=world.staff,
            roadmap=roadmap,
            parsed=parsed,
            fingerprint=plan.fingerprint,
            confirm_removals=True,
        )
    assert roadmap.activities.get(number="1.1.").title == "Семинар 1"


def test_an_approved_roadmap_without_its_edition_open_is_refused(world, roadmap):
    parsed = _read_back(roadmap)
    locked = factories.RoadmapFactory(owner=world.region_org, edition=False)
    with pytest.raises(RoadmapLocked):
        roadmap_update_apply(
            actor=world.staff, roadmap=locked, parsed=parsed, fingerprint="", confirm_removals=False
        )
