"""A parsed roadmap kept between requests: ``to_dict`` → JSON → ``from_dict`` gives the same roadmap."""

import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import (  # noqa: E402
    ParsedAct,
    ParsedActivity,
    ParsedHeading,
    ParsedIndicator,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
    ParsedWarning,
    parse_file,
)
from roadmaps.importing.writers import write_xlsx  # noqa: E402


def _through_json(roadmap: ParsedRoadmap) -> ParsedRoadmap:
    return ParsedRoadmap.from_dict(json.loads(json.dumps(roadmap.to_dict(), ensure_ascii=False)))


def full_roadmap() -> ParsedRoadmap:
    indicator = ParsedIndicator("Доля школ", "%", {2024: Decimal("12.5"), 2025: Decimal("30")})
    activity = ParsedActivity(
        number="I.1",
        number_as_written="1.",
        title="Семинар руководителей",
        deadline_text="до 01.06.2024",
        responsible_text="Отдел образования (по согласованию)",
        responsible=[ParsedResponsible("Отдел образования", by_agreement=True, person="Иванова И.И.")],
        links=["https://edu.example.ru/1"],
        done=True,
        revision_refs=["в ред. от 26.05.2020 N 242"],
        indicators=[indicator],
        source_row=7,
    )
    heading = ParsedHeading(text="Подпрограмма 1. Общее образование", number="1", title="Общее образование")
    return ParsedRoadmap(
        title="План на 2024-2025 годы",
        period=(2024, 2025),
        approving_act=ParsedAct("приказ", "департамента", "210", datetime.date(2019, 3, 14), "Приказ № 210"),
        revisions=[ParsedAct("приказ", "департамента", "242", None, "в ред. № 242")],
        region_code="70",
        sections=[
            ParsedSection("Цель 1", "I", [activity], ancestors=[heading]),
            ParsedSection("Без предков", activities=[ParsedActivity(number="2", title="Отчёт")]),
        ],
        indicators=[indicator],
        warnings=[ParsedWarning(3, "Столбец «Примечание» не распознан и пропущен.")],
        source_format="xlsx",
    )


def test_every_kind_of_field_survives_the_round_trip_through_json():
    roadmap = full_roadmap()

    restored = _through_json(roadmap)

    assert restored == roadmap
    assert restored.sections[0].parent_title == "Подпрограмма 1. Общее образование"
    assert restored.approving_act.date == datetime.date(2019, 3, 14)
    assert restored.indicators[0].targets == {2024: Decimal("12.5"), 2025: Decimal("30")}
    assert restored.period == (2024, 2025)


def test_a_parsed_document_round_trips_exactly():
    parsed = parse_file(write_xlsx(full_roadmap()), "plan.xlsx")

    assert _through_json(parsed) == parsed


def test_fields_at_their_defaults_are_left_out_of_the_stored_form():
    stored = ParsedActivity(number="1", title="Совещание").to_dict()

    assert stored == {"number": "1", "title": "Совещание"}


def test_keys_a_newer_or_older_parser_does_not_know_are_ignored():
    restored = ParsedActivity.from_dict({"number": "1", "title": "Совещание", "removed_field": "x"})

    assert restored == ParsedActivity(number="1", title="Совещание")
