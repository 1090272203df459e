"""Every writer moves the report fingerprint of the roadmap it wrote, so a stale file is never handed out.

The fingerprint reads each roadmap's data version (roadmaps/data_version.py). Single saves and deletes move
it through signal receivers; bulk writes send no signals and must call `roadmaps_data_changed` themselves.
A new writer is one more entry in WRITERS.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from reports.builders import REGISTRY, ReportBuilder, ReportScope
from reports.services import report_run_request
from reports.services.fingerprint import data_fingerprint
from roadmaps import services
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.importing.parsed import (
    ParsedActivity,
    ParsedIndicator,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
)
from roadmaps.importing.save import roadmap_import
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Evidence,
    Indicator,
    LegalAct,
    Revision,
    Roadmap,
    Section,
)
from tests import factories
from tests.reports.conftest import Filled

AS_OF = datetime.date(2025, 4, 1)
PAST = datetime.date(2025, 1, 15)


@dataclass
class Ctx:
    """The filled roadmap with one of everything a writer may touch, and the people who write."""

    filled: Filled
    roadmap: Roadmap
    draft: Roadmap
    staff: Any
    coordinator: Any
    school: Organization
    other_school: Organization
    sections: list[Section]
    activity: Activity
    bare: Activity
    planned: Checkpoint
    reported: Checkpoint
    indicator: Indicator
    spare: Indicator


@pytest.fixture
def ctx(filled, world) -> Ctx:
    roadmap = filled.roadmap
    project = factories.ProjectFactory(coordinator=factories.OrganizationFactory(short_name="ФИОКО"))
    Roadmap.objects.filter(pk=roadmap.pk).update(project=project)
    roadmap.refresh_from_db()
    section = roadmap.sections.get()
    reported = factories.CheckpointFactory(
        activity=filled.activities[1],
        sequence=5,
        planned_due=datetime.date(2025, 1, 10),
        status=Checkpoint.Status.REPORTED,
        actual_date=PAST,
        actual_text="15.01.2025",
        result="Отчитались",
        reported_by=world.coordinator,
    )
    factories.EvidenceFactory(checkpoint=reported, url="https://example.org/report")
    spare = factories.IndicatorFactory(roadmap=roadmap, name="Число семинаров", unit="ед.")
    factories.IndicatorTargetFactory(indicator=spare, year=2025, value=4)
    Revision.objects.create(roadmap=roadmap, date=datetime.date(2024, 6, 1), summary="Первая редакция")
    return Ctx(
        filled=filled,
        roadmap=roadmap,
        draft=world.draft,
        staff=world.staff,
        coordinator=world.coordinator,
        school=world.school,
        other_school=world.other_school,
        sections=[section, factories.SectionFactory(roadmap=roadmap, title="Второй раздел", position=2)],
        activity=roadmap.activities.get(number="1.1."),
        bare=roadmap.activities.get(number="2."),
        planned=filled.overdue,
        reported=reported,
        indicator=roadmap.indicators.get(name__startswith="Доля школ"),
        spare=spare,
    )


def _subject(c: Ctx, on: str) -> list[int]:
    if on == "owner":  # roadmaps that did not exist before the write count too
        return list(Roadmap.objects.filter(owner=c.roadmap.owner).order_by("pk").values_list("pk", flat=True))
    return [getattr(c, on).pk]


def _fingerprint(roadmap_ids: list[int]) -> str:
    return data_fingerprint(
        kind="fioko_form", builder_version=1, fmt="xlsx", roadmap_ids=roadmap_ids, as_of=AS_OF, options={}
    )


# --- writers that take more than one expression --------------------------------------------------


def _rename(obj) -> None:
    name = "short_name" if isinstance(obj, Organization) else "name"
    setattr(obj, name, f"{getattr(obj, name)} (новое имя)")
    obj.save()


def _edit_act(c: Ctx) -> None:
    act = c.roadmap.approved_by_act
    act.title = "О внесении изменений"
    act.save()


def _save_some_fields(c: Ctx) -> None:
    # The import saves its roadmap like this: the new token is not among the fields, yet must be written.
    c.roadmap.goal = "Уточнённая цель"
    c.roadmap.save(update_fields=["goal"])


def _sync_changed_deadline(c: Ctx) -> None:
    # An activity without checkpoints: the sync only updates, bulk-creates and bulk-updates, no signal fires.
    c.bare.deadline_text = "Ежемесячно"
    services.activity_sync_checkpoints(activity=c.bare)
    assert c.bare.checkpoints.exists()


def _raw_update_then_call(c: Ctx) -> None:
    # The rule for every bulk write: a queryset update, bulk_create or bulk_update sends no signals, so the
    # code doing it moves the data version itself, in the same transaction.
    planned = Checkpoint.objects.filter(activity__roadmap=c.roadmap, status=Checkpoint.Status.PLANNED)
    planned.update(schedule_mismatch="Проверить срок")
    roadmaps_data_changed(Roadmap.objects.filter(activities__checkpoints__in=planned))


def _indicator_save(c: Ctx, **fields) -> Indicator:
    given = {"name": c.spare.name, "unit": c.spare.unit, "targets": {}, **fields}
    if "indicator" in given:
        given["expected_version"] = given["indicator"].version
    return services.indicator_save(
        actor=c.staff, roadmap=c.roadmap, base_value=None, base_year=None, activity=None, **given
    )


def _import(c: Ctx) -> Roadmap:
    return roadmap_import(actor=c.staff, parsed=_parsed_roadmap(), owner=c.roadmap.owner)


def _parsed_roadmap() -> ParsedRoadmap:
    return ParsedRoadmap(
        title="Импортированный план",
        period=(2025, 2025),
        sections=[
            ParsedSection(
                number="1.",
                title="Организационные мероприятия",
                activities=[
                    ParsedActivity(
                        number="1.1.",
                        title="Совещание",
                        deadline_text="Ежеквартально",
                        responsible=[ParsedResponsible(name="СОШ № 1")],
                        indicators=[ParsedIndicator(name="Охват", unit="%", targets={2025: Decimal(60)})],
                    ),
                    ParsedActivity(
                        number="1.2.",
                        title="Семинар",
                        deadline_text="Февраль 2025 г.",
                        responsible=[ParsedResponsible(name="СОШ № 2")],
                        actual_text="14.02.2025",
                        done=True,
                    ),
                ],
            ),
            ParsedSection(
                number="2.",
                title="Методическое сопровождение",
                activities=[ParsedActivity(number="2.1.", title="Консультации", deadline_text="2025 год")],
            ),
        ],
    )


def _new_act() -> LegalAct:
    return LegalAct(kind=LegalAct.Kind.ORDER, number="77-р", date=datetime.date(2025, 2, 3))


def _duty(c: Ctx):
    """The activity's one responsible organisation, for the writers that change or remove it."""
    return c.activity.responsibilities.select_related("activity__roadmap", "organization").get()


def writer(name: str, write: Callable[[Ctx], Any], on: str = "roadmap"):
    """`write(ctx)` changes what a report on `on` shows: a Ctx attribute, or "owner" (all its roadmaps)."""
    return pytest.param(write, on, id=name)


WRITERS = [
    # roadmaps/services/roadmaps.py
    writer(
        "roadmap_create",
        lambda c: services.roadmap_create(
            actor=c.staff, owner=c.roadmap.owner, title="Новая", year_start=2025, year_end=2025
        ),
        on="owner",
    ),
    writer(
        "roadmap_update",
        lambda c: services.roadmap_update(
            actor=c.staff, roadmap=c.roadmap, expected_version=c.roadmap.version, goal="Новая цель"
        ),
    ),
    writer(
        "roadmap_update_period",
        lambda c: services.roadmap_update(
            actor=c.staff, roadmap=c.roadmap, expected_version=c.roadmap.version, year_end=2027
        ),
    ),
    writer(
        "roadmap_approve",
        lambda c: services.roadmap_approve(actor=c.staff, roadmap=c.draft, act=_new_act()),
        on="draft",
    ),
    writer("roadmap_save_some_fields", _save_some_fields),
    writer("roadmap_archive", lambda c: services.roadmap_archive(actor=c.staff, roadmap=c.roadmap)),
    writer(
        "revision_record",
        lambda c: services.revision_record(
            actor=c.staff, roadmap=c.roadmap, date=PAST, summary="Сроки", act=_new_act()
        ),
    ),
    writer("revision_delete", lambda c: c.roadmap.revisions.order_by("pk").first().delete()),
    writer("approving_act_edit", _edit_act),
    # roadmaps/services/activities.py
    writer(
        "section_create",
        lambda c: services.section_create(actor=c.staff, roadmap=c.roadmap, title="Новый раздел"),
    ),
    writer(
        "section_update",
        lambda c: services.section_update(
            actor=c.staff, section=c.sections[0], expected_version=c.sections[0].version, title="Иначе"
        ),
    ),
    writer("section_delete", lambda c: c.sections[0].delete()),
    writer(
        "sections_reorder",
        lambda c: services.sections_reorder(
            actor=c.staff, roadmap=c.roadmap, section_ids=[c.sections[1].pk, c.sections[0].pk]
        ),
    ),
    writer(
        "activity_create",
        lambda c: services.activity_create(
            actor=c.staff, roadmap=c.roadmap, number="3.", title="Новое", deadline_text="Май 2025 г."
        ),
    ),
    writer(
        "activity_update",
        lambda c: services.activity_update(
            actor=c.staff, activity=c.activity, expected_version=c.activity.version, title="Иначе"
        ),
    ),
    writer(
        "activity_update_deadline",
        lambda c: services.activity_update(
            actor=c.staff,
            activity=c.activity,
            expected_version=c.activity.version,
            deadline_text="Ежемесячно",
        ),
    ),
    writer("activity_delete", lambda c: services.activity_delete(actor=c.staff, activity=c.activity)),
    writer(
        "responsibility_assign",
        lambda c: services.responsibility_assign(
            actor=c.staff, activities=c.filled.activities, organization=c.other_school
        ),
    ),
    writer("responsibility_delete", lambda c: c.activity.responsibilities.get().delete()),
    writer(
        "responsibility_update",
        lambda c: services.responsibility_update(
            actor=c.staff,
            responsibility=_duty(c),
            role="co",
            by_agreement=True,
            person="Иванов",
            expected_version=_duty(c).version,
        ),
    ),
    writer(
        "responsibility_remove",
        lambda c: services.responsibility_remove(actor=c.staff, responsibility=_duty(c)),
    ),
    writer(
        "responsibilities_update",
        lambda c: services.responsibilities_update(
            actor=c.staff, activities=[c.activity], organization=_duty(c).organization, role="co"
        ),
    ),
    writer(
        "responsibilities_remove",
        lambda c: services.responsibilities_remove(
            actor=c.staff, activities=[c.activity], organization=_duty(c).organization
        ),
    ),
    # roadmaps/services/schedules.py
    writer("activity_sync_checkpoints", _sync_changed_deadline),
    # roadmaps/services/checkpoints.py
    writer(
        "checkpoint_report",
        lambda c: services.checkpoint_report(
            actor=c.coordinator, checkpoint=c.planned, actual_date=PAST, result="Проведено"
        ),
    ),
    writer("checkpoint_accept", lambda c: services.checkpoint_accept(actor=c.staff, checkpoint=c.reported)),
    writer(
        "checkpoint_return",
        lambda c: services.checkpoint_return(actor=c.staff, checkpoint=c.reported, reason="Нет приказа"),
    ),
    writer("checkpoint_delete", lambda c: c.planned.delete()),
    writer(
        "transition_append",
        lambda c: CheckpointTransition.objects.create(checkpoint=c.planned, status="cancelled"),
    ),
    writer(
        "evidence_add",
        lambda c: services.evidence_add(
            actor=c.coordinator, checkpoint=c.reported, url="https://example.org/more"
        ),
    ),
    writer("evidence_delete", lambda c: c.reported.evidence.get().delete()),
    writer(
        "indicator_value_set",
        lambda c: services.indicator_value_set(
            actor=c.coordinator, indicator=c.indicator, year=2025, organization=c.school, value=Decimal(55)
        ),
    ),
    writer("indicator_value_delete", lambda c: c.indicator.values.first().delete()),
    # roadmaps/services/indicators.py
    writer("indicator_create", lambda c: _indicator_save(c, name="Новый показатель")),
    writer("indicator_update", lambda c: _indicator_save(c, indicator=c.spare, name="Переименован")),
    writer("indicator_delete", lambda c: services.indicator_delete(actor=c.staff, indicator=c.spare)),
    writer(
        "target_set",
        lambda c: _indicator_save(c, indicator=c.spare, targets={2025: Decimal(6), 2026: Decimal(8)}),
    ),
    writer("target_delete", lambda c: _indicator_save(c, indicator=c.spare, targets={2025: None})),
    writer("target_delete_alone", lambda c: c.spare.targets.get().delete()),
    # the import and what the other apps own (the admin writes no roadmap data: config/admin.py)
    writer("roadmap_import", _import, on="owner"),
    writer("owner_rename", lambda c: _rename(c.roadmap.owner)),
    writer("responsible_rename", lambda c: _rename(c.school)),
    writer("coordinator_rename", lambda c: _rename(c.roadmap.project.coordinator)),
    writer("region_rename", lambda c: _rename(c.roadmap.owner.region)),
    writer("project_rename", lambda c: _rename(c.roadmap.project)),
    # any future bulk write
    writer("raw_update_then_roadmaps_data_changed", _raw_update_then_call),
]


@pytest.mark.parametrize(("write", "on"), WRITERS)
def test_every_writer_moves_the_fingerprint_of_the_roadmap_it_wrote(ctx, write, on):
    before = _fingerprint(_subject(ctx, on))

    write(ctx)

    assert _fingerprint(_subject(ctx, on)) != before


def test_two_fingerprints_with_no_write_in_between_are_equal(ctx):
    assert _fingerprint([ctx.roadmap.pk]) == _fingerprint([ctx.roadmap.pk])


def test_fingerprint_reads_the_data_versions_in_one_query(ctx, django_assert_num_queries):
    with django_assert_num_queries(1):  # the roadmaps' (id, data_version) pairs
        _fingerprint([ctx.roadmap.pk, ctx.draft.pk])


def test_a_raw_update_alone_leaves_the_fingerprint_stale_which_is_why_bulk_code_must_call(ctx):
    before = _fingerprint([ctx.roadmap.pk])

    Checkpoint.objects.filter(activity__roadmap=ctx.roadmap).update(result="Исправлено в обход")

    assert _fingerprint([ctx.roadmap.pk]) == before
    roadmaps_data_changed([ctx.roadmap.pk])
    assert _fingerprint([ctx.roadmap.pk]) != before


def test_a_save_moves_the_version_with_one_update_and_loads_no_related_rows(ctx, django_assert_num_queries):
    evidence = Evidence(checkpoint=ctx.reported, url="https://example.org/one-more")
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(3):
        # INSERT the evidence, INSERT its history row, UPDATE the roadmap through a subquery
        evidence.save()
    touching = [q["sql"] for q in queries if "roadmaps_roadmap" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("UPDATE")


def test_a_stale_roadmap_instance_saved_again_never_brings_back_an_old_version(ctx):
    stale = Roadmap.objects.get(pk=ctx.roadmap.pk)
    seen = {stale.data_version}
    services.sections_reorder(
        actor=ctx.staff, roadmap=ctx.roadmap, section_ids=[ctx.sections[1].pk, ctx.sections[0].pk]
    )
    seen.add(Roadmap.objects.get(pk=ctx.roadmap.pk).data_version)

    services.roadmap_update(
        actor=ctx.staff, roadmap=stale, expected_version=stale.version, goal="Правка по старой копии"
    )

    assert Roadmap.objects.get(pk=ctx.roadmap.pk).data_version not in seen


def test_moving_a_branch_moves_the_roadmaps_its_descendants_answer_for(ctx):
    # Only the centre is saved; the school below it gets its new path from a queryset update.
    centre = factories.OrganizationFactory(parent=ctx.roadmap.owner, region=ctx.roadmap.owner.region)
    ctx.other_school.parent = centre
    ctx.other_school.save()
    assert not Roadmap.objects.filter(owner=centre).exists()
    before = _fingerprint([ctx.roadmap.pk])

    centre.parent = None
    centre.save()

    ctx.other_school.refresh_from_db()
    assert ctx.other_school.path == f"/{centre.pk}/{ctx.other_school.pk}/"
    assert _fingerprint([ctx.roadmap.pk]) != before


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda c, r: services.activity_update(
                actor=c.staff, activity=r.activities.first(), expected_version=1, title="Иначе"
            ),
            id="activity_update",
        ),
        pytest.param(
            lambda c, r: services.sections_reorder(
                actor=c.staff,
                roadmap=r,
                section_ids=list(r.sections.order_by("-position").values_list("pk", flat=True)),
            ),
            id="sections_reorder",
        ),
        pytest.param(
            lambda c, r: services.checkpoint_accept(
                actor=c.staff, checkpoint=Checkpoint.objects.get(activity__roadmap=r, status="reported")
            ),
            id="checkpoint_accept",
        ),
    ],
)
def test_an_imported_roadmap_moves_its_fingerprint_when_edited_afterwards(ctx, edit):
    roadmap = _import(ctx)
    before = _fingerprint([roadmap.pk])

    edit(ctx, roadmap)

    assert _fingerprint([roadmap.pk]) != before


class _Constant(ReportBuilder):
    """Writes the same bytes every time: reuse is decided by the fingerprint alone."""

    code = "test_constant"
    title = "Всегда одинаковый"
    formats = ("xlsx",)

    def build(self, request, path):
        path.write_bytes(b"constant")


@pytest.fixture
def constant():
    builder = _Constant()
    REGISTRY[builder.code] = builder
    yield builder
    del REGISTRY[builder.code]


_BY_NAME = {param.id: param.values[0] for param in WRITERS}


@pytest.mark.parametrize(
    "name", ["sections_reorder", "activity_sync_checkpoints", "checkpoint_report", "activity_update"]
)
def test_a_run_requested_after_a_write_is_not_reused_from_the_earlier_run(
    ctx, world, constant, name, django_capture_on_commit_callbacks
):
    def request():
        with django_capture_on_commit_callbacks(execute=True):
            run = report_run_request(
                actor=world.analyst,
                kind=constant.code,
                fmt="xlsx",
                scope=ReportScope(roadmap_id=ctx.roadmap.pk),
                as_of=AS_OF,
            )
        run.refresh_from_db()
        return run

    first = request()
    again = request()
    assert first.status == "done" and again.reused_from_id == first.pk

    _BY_NAME[name](ctx)
    after = request()

    assert after.status == "done" and after.reused_from_id is None
    assert after.data_fingerprint != first.data_fingerprint
