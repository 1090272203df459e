"""A deactivated organisation keeps its history but is not offered where organisations are chosen."""

from __future__ import annotations

from organizations import services
from roadmaps.importing import parse_file
from roadmaps.importing.save import match_organizations
from roadmaps.selectors.roadmaps import assignable_organizations


def _plan(responsible: str) -> bytes:
    return f"№\tМероприятие\tСрок\tОтветственный\n1.\tСеминар\t2025\t{responsible}\n".encode()


def test_a_deactivated_school_is_not_offered_as_responsible(world):
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    offered = set(assignable_organizations(roadmap=world.roadmap))
    assert world.school in offered
    assert world.other_school not in offered


def test_an_import_does_not_match_a_deactivated_organisation(world):
    parsed = parse_file(_plan("СОШ № 2"), "план.tsv")
    assert match_organizations(parsed, owner=world.region_org).found == {"СОШ № 2": world.other_school}
    services.organization_set_active(actor=world.staff, organization=world.other_school, active=False)
    assert match_organizations(parsed, owner=world.region_org).unknown == ["СОШ № 2"]
