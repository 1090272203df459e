import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from roadmaps.models import Activity, Checkpoint, Evidence, IndicatorTarget, Roadmap
from tests import factories

pytestmark = pytest.mark.django_db


def _violates(callable_) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_activity_number_is_unique_within_a_roadmap():
    activity = factories.ActivityFactory(number="1.1.")

    _violates(lambda: Activity.objects.create(roadmap=activity.roadmap, number="1.1.", title="Дубль"))
    factories.ActivityFactory(number="1.1.")  # another roadmap may reuse it


def test_duplicate_activity_number_gets_a_clear_message():
    activity = factories.ActivityFactory(number="2.")
    duplicate = Activity(roadmap=activity.roadmap, number="2.", title="Дубль")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "уже существует" in str(error.value)


def test_checkpoint_start_must_not_be_after_due():
    checkpoint = factories.CheckpointFactory()
    checkpoint.planned_start = datetime.date(2025, 5, 1)
    checkpoint.planned_due = datetime.date(2025, 4, 1)

    with pytest.raises(ValidationError, match="Плановое начало позже планового срока"):
        checkpoint.full_clean()
    _violates(checkpoint.save)


def test_checkpoint_without_dates_is_allowed_for_by_plan_deadlines():
    checkpoint = factories.CheckpointFactory(
        planned_start=None, planned_due=None, period_label="срок не определён"
    )

    checkpoint.full_clean()


def test_status_values_are_checked_by_the_database():
    checkpoint = factories.CheckpointFactory()

    _violates(lambda: Checkpoint.objects.filter(pk=checkpoint.pk).update(status="finished"))
    _violates(lambda: Roadmap.objects.filter(pk=checkpoint.activity.roadmap_id).update(status="published"))


def test_done_checkpoint_requires_an_actual_date():
    checkpoint = factories.CheckpointFactory()

    _violates(lambda: Checkpoint.objects.filter(pk=checkpoint.pk).update(status="done"))


def test_one_target_per_indicator_and_year():
    target = factories.IndicatorTargetFactory(year=2025)
    duplicate = IndicatorTarget(indicator=target.indicator, year=2025, value=10)

    with pytest.raises(ValidationError, match="Для этого года целевое значение дорожной карты уже задано"):
        duplicate.full_clean()
    _violates(duplicate.save)


def test_evidence_needs_a_link_or_a_file():
    checkpoint = factories.CheckpointFactory()

    with pytest.raises(ValidationError, match="Укажите ссылку или приложите файл"):
        Evidence(checkpoint=checkpoint).full_clean()
    _violates(lambda: Evidence.objects.create(checkpoint=checkpoint))


def test_approved_roadmap_cannot_be_deleted_only_archived():
    roadmap = factories.RoadmapFactory(status=Roadmap.Status.APPROVED)

    with pytest.raises(ProtectedError, match="можно только архивировать"):
        roadmap.delete()
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()


def test_draft_roadmap_can_be_deleted():
    roadmap = factories.RoadmapFactory(status=Roadmap.Status.DRAFT)

    roadmap.delete()

    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()


def test_approved_roadmap_must_name_its_act():
    roadmap = factories.RoadmapFactory(status=Roadmap.Status.DRAFT)

    _violates(lambda: Roadmap.objects.filter(pk=roadmap.pk).update(status="approved"))


def test_responsible_organisation_cannot_be_deleted_while_referenced():
    responsibility = factories.ResponsibilityFactory()

    with pytest.raises(ProtectedError):
        responsibility.organization.delete()


def test_activities_order_by_number_as_read():
    roadmap = factories.RoadmapFactory()
    for number in ["1.10.", "2.1.", "1.2."]:
        factories.ActivityFactory(roadmap=roadmap, number=number)

    assert [a.number for a in roadmap.activities.all()] == ["1.2.", "1.10.", "2.1."]
