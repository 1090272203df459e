"""Importing the seed documents into the database: counts, dates, indicators, atomicity, the way back."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from organizations.models import OrganizationAlias
from roadmaps.exporting import roadmap_export
from roadmaps.importing import ImportRefused, parse_file
from roadmaps.importing.preview import build_preview
from roadmaps.importing.save import roadmap_import
from roadmaps.models import Activity, Checkpoint, IndicatorTarget, Roadmap, Section

pytestmark = pytest.mark.django_db

SEED_COUNTS = {"000": (4, 23), "001": (5, 29), "002": (7, 50), "003": (1, 38), "004": (10, 10)}


def _parse_seed(seeds_dir, prefix: str):
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return parse_file(path.read_bytes(), path.name)


@pytest.mark.parametrize("prefix", sorted(SEED_COUNTS))
def test_each_seed_document_is_saved_whole(seeds_dir, world, prefix):
    parsed = _parse_seed(seeds_dir, prefix)

    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    sections, activities = SEED_COUNTS[prefix]
    assert roadmap.activities.count() == activities
    assert roadmap.sections.filter(activities__isnull=False).distinct().count() == sections
    saved = [a.deadline_text for a in roadmap.activities.order_by("sort_key")]
    assert saved == [a.deadline_text for a in parsed.activities]
    assert roadmap.activities.first().history.first().history_user == world.staff


def test_seed_002_keeps_its_approving_act_and_amendment_when_approval_is_ticked(seeds_dir, world):
    parsed = _parse_seed(seeds_dir, "002")
    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org, approve=True)

    assert roadmap.status == Roadmap.Status.APPROVED
    assert (roadmap.approved_by_act.number, f"{roadmap.approved_by_act.date:%d.%m.%Y}") == (
        "291",
        "05.07.2019",
    )
    revision = roadmap.revisions.get()
    assert (revision.act.number, f"{revision.date:%d.%m.%Y}") == ("242", "26.05.2020")
    assert not roadmap.activities.filter(deadline_text__icontains="в ред.").exists()


def test_a_document_with_an_approving_act_is_saved_as_a_draft_unless_approval_is_ticked(seeds_dir, world):
    roadmap = roadmap_import(actor=world.staff, parsed=_parse_seed(seeds_dir, "002"), owner=world.region_org)

    assert (roadmap.status, roadmap.approved_by_act) == (Roadmap.Status.DRAFT, None)
    assert roadmap.revisions.get().act.number == "242"  # the amendment is recorded either way


def test_approval_without_the_acts_number_and_date_is_refused(seeds_dir, world):
    parsed = _parse_seed(seeds_dir, "002")
    parsed.approving_act.number = ""
    before = Roadmap.objects.count()

    with pytest.raises(ImportRefused, match="нет номера и даты"):
        roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org, approve=True)
    assert Roadmap.objects.count() == before


def test_seed_003_actual_dates_become_reported_checkpoints(seeds_dir, world):
    parsed = _parse_seed(seeds_dir, "003")
    reported_in_document = [a for a in parsed.activities if a.actual_text or a.done]

    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    reported = Checkpoint.objects.filter(activity__roadmap=roadmap, status=Checkpoint.Status.REPORTED)
    assert reported.count() == len(reported_in_document) > 0
    for item, activity in zip(parsed.activities, roadmap.activities.order_by("sort_key"), strict=True):
        if not (item.actual_text or item.done):
            continue
        checkpoint = activity.checkpoints.get(status=Checkpoint.Status.REPORTED)
        assert checkpoint.actual_text == (item.actual_text or "выполнено")[:255]


def test_seed_004_indicators_and_yearly_targets_are_saved(seeds_dir, world):
    roadmap = roadmap_import(actor=world.staff, parsed=_parse_seed(seeds_dir, "004"), owner=world.region_org)

    targets = [
        [int(v) for v in indicator.targets.order_by("year").values_list("value", flat=True)]
        for indicator in roadmap.indicators.order_by("pk")
    ]
    assert targets == [[30, 45, 55, 65, 75, 85], [34, 45, 52, 64, 70]]


def test_a_failure_while_saving_leaves_the_database_untouched(seeds_dir, world, monkeypatch):
    before = (Roadmap.objects.count(), Activity.objects.count(), Checkpoint.objects.count())

    def fail(*args, **kwargs):
        raise IntegrityError("the disk is full")

    monkeypatch.setattr(IndicatorTarget.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        roadmap_import(actor=world.staff, parsed=_parse_seed(seeds_dir, "004"), owner=world.region_org)

    assert (Roadmap.objects.count(), Activity.objects.count(), Checkpoint.objects.count()) == before


def test_repeated_activity_numbers_are_refused_before_anything_is_saved(seeds_dir, world):
    parsed = _parse_seed(seeds_dir, "000")
    parsed.activities[1].number = parsed.activities[0].number
    before = Roadmap.objects.count()

    with pytest.raises(ImportRefused, match="Номера мероприятий повторяются"):
        roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)
    assert Roadmap.objects.count() == before
    assert "сохранить нельзя" in build_preview(parsed, owner=world.region_org).warnings[0]


def test_known_organisations_are_matched_and_unknown_ones_listed(seeds_dir, world):
    parsed = _parse_seed(seeds_dir, "000")
    name = parsed.activities[0].responsible[0].name
    OrganizationAlias.objects.create(organization=world.school, spelling=name)

    preview = build_preview(parsed, owner=world.region_org)
    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    assert preview.matched_organizations[name] == world.school
    assert name not in preview.unknown_organizations
    assert (
        roadmap.activities.get(number=parsed.activities[0].number_as_written)
        .responsibilities.get()
        .organization
        == world.school
    )


@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_exported_roadmap_reimports_to_the_same_activities(seeds_dir, world, file_format, prefix):
    roadmap = roadmap_import(actor=world.staff, parsed=_parse_seed(seeds_dir, prefix), owner=world.region_org)

    again = parse_file(roadmap_export(roadmap, file_format), f"roadmap.{file_format}")

    fields = ("title", "deadline_text", "planned_result")
    original = [(a.number, *(getattr(a, f) for f in fields)) for a in roadmap.activities.order_by("sort_key")]
    # the roadmap keeps numbers as the document wrote them («1.1.»), and so does the exported file
    assert [(a.number_as_written, *(getattr(a, f) for f in fields)) for a in again.activities] == original
    assert again.period == roadmap.period


def test_import_command_dry_run_prints_json_and_saves_nothing(seeds_dir, world, capsys):
    path = next(seeds_dir.glob("002_*.txt"))
    before = Roadmap.objects.count()

    call_command("import_roadmap", str(path), "--owner", world.region_org.short_name, "--dry-run", "--json")

    data = json.loads(capsys.readouterr().out)
    assert data["act"]["number"] == "291"
    assert sum(len(s["activities"]) for s in data["sections"]) == 50
    assert Roadmap.objects.count() == before


def test_import_command_saves_after_showing_the_preview(seeds_dir, world, capsys):
    path = next(seeds_dir.glob("000_*.txt"))

    call_command("import_roadmap", str(path), "--owner", str(world.region_org.pk), "--create-unknown")

    out = capsys.readouterr()
    assert "мероприятий: 23" in out.out
    assert "Сохранено" in out.err
    roadmap = Roadmap.objects.latest("pk")
    assert roadmap.activities.count() == 23
    assert roadmap.activities.filter(responsibilities__isnull=False).distinct().count() == 23


def _tsv(*rows: list[str]) -> bytes:
    return "\n".join("\t".join(cells) for cells in rows).encode()


def test_three_heading_levels_are_saved_as_nested_sections(world):
    data = _tsv(
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["Подпрограмма 1. Дошкольное образование", "", "", ""],
        ["Цель 1. Доступность", "", "", ""],
        ["Задача 1.1. Новые места", "", "", ""],
        ["1.", "Строительство сада", "2024", "Отдел"],
        ["Задача 1.2. Кадры", "", "", ""],
        ["1.", "Курсы воспитателей", "2025", "Отдел"],
    )
    roadmap = roadmap_import(actor=world.staff, parsed=parse_file(data, "p.tsv"), owner=world.region_org)

    top = roadmap.sections.get(parent__isnull=True)
    assert top.title == "Подпрограмма 1. Дошкольное образование"
    goal = top.subsections.get()
    assert goal.title == "Цель 1. Доступность"
    assert [(s.number, s.title) for s in goal.subsections.order_by("position")] == [
        ("1.1", "Новые места"),
        ("1.2", "Кадры"),
    ]
    saved = list(roadmap.activities.order_by("sort_key").values_list("number", "comment", "section__title"))
    assert saved == [("1.1.1", "№ в документе: 1.", "Новые места"), ("1.2.1", "№ в документе: 1.", "Кадры")]


def test_headings_deeper_than_sections_nest_are_joined_into_the_deepest_level(world):
    data = _tsv(
        ["№", "Мероприятие", "Срок"],
        ["Подпрограмма 1. Общее образование", "", ""],
        ["Цель 1. Качество", "", ""],
        ["Задача 1.1. Кадры", "", ""],
        ["Направление 1.1.1. Молодые учителя", "", ""],
        ["Подраздел 1.1.1.1. Наставничество", "", ""],
        ["1.", "Семинар", "2024"],
    )
    parsed = parse_file(data, "p.tsv")
    assert parsed.sections[0].level == Section.MAX_DEPTH  # one level deeper than sections nest

    roadmap = roadmap_import(actor=world.staff, parsed=parsed, owner=world.region_org)

    chain = [roadmap.activities.get().section]
    while chain[-1].parent_id:
        chain.append(chain[-1].parent)
    assert [s.title for s in reversed(chain)] == [
        "Подпрограмма 1. Общее образование",
        "Цель 1. Качество",
        "Задача 1.1. Кадры — Направление 1.1.1. Молодые учителя",
        "Наставничество",
    ]


def test_an_indicator_only_table_saves_roadmap_indicators_with_yearly_targets(world):
    data = _tsv(
        ["Наименование показателя", "Ед. изм.", "2024", "2025"], ["Доля детей в кружках", "%", "70", "75"]
    )
    roadmap = roadmap_import(actor=world.staff, parsed=parse_file(data, "t.tsv"), owner=world.region_org)

    indicator = roadmap.indicators.get()
    assert (indicator.name, indicator.unit, indicator.activity) == ("Доля детей в кружках", "%", None)
    assert list(indicator.targets.order_by("year").values_list("year", "value")) == [(2024, 70), (2025, 75)]
    assert (roadmap.year_start, roadmap.year_end) == (2024, 2025)
