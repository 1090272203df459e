import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps import services
from roadmaps.models import Checkpoint
from tests import factories

pytestmark = pytest.mark.django_db


def test_creating_an_activity_generates_its_checkpoints_from_the_deadline(world):
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.roadmap,
        number="2.1.",
        title="Семинар",
        deadline_text="Ежеквартально",
    )

    dues = list(activity.checkpoints.values_list("planned_due", flat=True))
    assert len(dues) == 4 * (world.roadmap.year_end - world.roadmap.year_start + 1)
    assert dues[0] == datetime.date(world.roadmap.year_start, 3, 31)
    assert activity.schedule_kind == "recurring"


def test_changing_the_deadline_keeps_reported_checkpoints_and_flags_them(world):
    activity = services.activity_create(
        actor=world.staff, roadmap=world.roadmap, number="2.2.", title="Совет", deadline_text="Ежеквартально"
    )
    first = activity.checkpoints.order_by("planned_due").first()
    services.checkpoint_report(
        actor=world.coordinator, checkpoint=first, actual_date=first.planned_due, result="Проведено"
    )

    services.activity_update(
        actor=world.staff,
        activity=activity,
        expected_version=activity.version,
        deadline_text="Ноябрь, ежегодно",
    )

    first.refresh_from_db()
    assert first.status == Checkpoint.Status.REPORTED
    assert "Ноябрь, ежегодно" in first.schedule_mismatch
    planned = activity.checkpoints.filter(status="planned")
    assert [c.planned_due.month for c in planned] == [11] * planned.count()


def test_unparsable_deadline_is_kept_and_flagged_without_invented_dates(world):
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.roadmap,
        number="2.3.",
        title="Итоги",
        deadline_text="С 01.11. по 31.11.2025",
    )

    assert activity.deadline_text == "С 01.11. по 31.11.2025"
    assert activity.needs_review
    assert any("31.11.2025" in problem for problem in activity.schedule_problems)
    assert not activity.checkpoints.exists()


def test_changing_the_period_regenerates_checkpoints(world):
    activity = services.activity_create(
        actor=world.staff,
        roadmap=world.roadmap,
        number="2.4.",
        title="Отчёт",
        deadline_text="Ноябрь, ежегодно",
    )

    roadmap = services.roadmap_update(
        actor=world.staff,
        roadmap=world.roadmap,
        expected_version=world.roadmap.version,
        year_end=world.roadmap.year_end + 1,
    )

    years = sorted(activity.checkpoints.values_list("planned_due__year", flat=True))
    assert years == list(range(roadmap.year_start, roadmap.year_end + 1))


def test_second_editor_of_the_same_version_is_refused(world):
    activity = factories.ActivityFactory(roadmap=world.roadmap, number="3.1.")
    opened_version = activity.version
    services.activity_update(
        actor=world.staff, activity=activity, expected_version=opened_version, title="Первая"
    )

    with pytest.raises(services.ConcurrentEditError) as error:
        services.activity_update(
            actor=world.staff, activity=activity, expected_version=opened_version, title="Вторая"
        )

    assert error.value.current.title == "Первая"
    activity.refresh_from_db()
    assert activity.title == "Первая"


def test_history_records_who_changed_an_activity(world):
    activity = factories.ActivityFactory(roadmap=world.roadmap, number="3.2.", title="Было")

    services.activity_update(
        actor=world.staff, activity=activity, expected_version=activity.version, title="Стало"
    )

    latest = activity.history.first()
    assert latest.title == "Стало"
    assert latest.history_user == world.staff
    assert latest.prev_record.title == "Было"


def test_report_accept_and_return_walk_the_status_and_keep_history(world):
    checkpoint = world.checkpoint

    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Проведено",
        url="https://example.org/report",
    )
    services.checkpoint_return(actor=world.staff, checkpoint=checkpoint, reason="Нет протокола")
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=checkpoint,
        actual_date=datetime.date(2025, 3, 21),
        result="С протоколом",
    )
    services.checkpoint_accept(actor=world.staff, checkpoint=checkpoint)

    statuses = [h.status for h in checkpoint.history.order_by("history_date")]
    assert statuses[-4:] == ["reported", "returned", "reported", "done"]
    assert [h.history_user for h in checkpoint.history.order_by("history_date")][-1] == world.staff
    assert checkpoint.evidence.get().url == "https://example.org/report"


def test_reporting_and_accepting_run_a_fixed_number_of_queries(world, django_assert_num_queries):
    checkpoint = world.checkpoint
    # 1 savepoint; 2 the checkpoint under its row lock; 3 closed periods of the roadmap; 4 the row;
    # 5 its history; 6 the roadmap's data version; 7 the transition; 8 the data version again
    # (the transition's own receiver); 9 the staff to tell; 10 their accounts and preferences; 11 the
    # notifications; 12 release. The constraints are left to the database.
    with django_assert_num_queries(12):
        services.checkpoint_report(
            actor=world.coordinator,
            checkpoint=checkpoint,
            actual_date=datetime.date(2025, 3, 20),
            result="Да",
        )
    with django_assert_num_queries(9):
        services.checkpoint_accept(actor=world.staff, checkpoint=checkpoint)
    checkpoint.refresh_from_db()
    assert (checkpoint.status, checkpoint.reported_by, checkpoint.verified_by) == (
        "done",
        world.coordinator,
        world.staff,
    )


def test_accepting_a_checkpoint_that_was_not_reported_is_refused(world):
    with pytest.raises(ValidationError, match="Нельзя принять отчёт"):
        services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)


def test_return_requires_a_reason(world):
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 1),
        result="Готово",
    )

    with pytest.raises(ValidationError, match="Укажите причину возврата"):
        services.checkpoint_return(actor=world.staff, checkpoint=world.checkpoint, reason="  ")
    world.checkpoint.refresh_from_db()
    assert world.checkpoint.status == "reported"


def test_evidence_file_type_is_checked_by_content(world):
    fake_pdf = SimpleUploadedFile("act.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(ValidationError, match="не соответствует"):
        services.evidence_add(actor=world.coordinator, checkpoint=world.checkpoint, file=fake_pdf)
    assert not world.checkpoint.evidence.exists()


def test_evidence_pdf_is_stored_privately(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("Протокол.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")

    evidence = services.evidence_add(actor=world.coordinator, checkpoint=world.checkpoint, file=pdf)

    assert evidence.content_type == "application/pdf"
    assert (tmp_path / evidence.file.name).read_bytes().startswith(b"%PDF")


def test_indicator_value_correction_keeps_the_earlier_value_in_history(world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap)

    services.indicator_value_set(
        actor=world.coordinator, indicator=indicator, year=2025, organization=world.school, value=40
    )
    item = services.indicator_value_set(
        actor=world.coordinator, indicator=indicator, year=2025, organization=world.school, value=45
    )

    assert [h.value for h in item.history.order_by("history_date")] == [40, 45]


def test_assigning_one_organisation_to_many_activities(world):
    activities = [factories.ActivityFactory(roadmap=world.roadmap, number=f"5.{n}.") for n in range(1, 4)]

    count = services.responsibility_assign(
        actor=world.staff, activities=activities, organization=world.other_school, by_agreement=True
    )

    assert count == 3
    assert all(a.responsibilities.get(organization=world.other_school).by_agreement for a in activities)
