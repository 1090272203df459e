import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from organizations.models import Membership, Municipality, Organization, Region
from projects.models import Project
from roadmaps import outcomes
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    Roadmap,
    Section,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Анна"
    last_name = "Иванова"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 900 + 10}")
    name = factory.Sequence(lambda n: f"Область № {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Городской округ № {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    full_name = factory.Sequence(lambda n: f"Организация образования № {n}")
    short_name = factory.Sequence(lambda n: f"ОО-{n}")
    kind = Organization.Kind.SCHOOL
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.STAFF


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Проект № {n}")
    level = Project.Level.REGIONAL
    year_start = 2024
    year_end = 2026


class LegalActFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalAct

    kind = LegalAct.Kind.ORDER
    number = factory.Sequence(lambda n: f"{n}-р")
    date = datetime.date(2024, 1, 15)
    issuer = "Департамент образования"


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap
        skip_postgeneration_save = True

    owner = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.REGIONAL_AUTHORITY)
    title = factory.Sequence(lambda n: f"Дорожная карта № {n}")
    year_start = 2024
    year_end = 2026
    status = Roadmap.Status.APPROVED
    approved_by_act = factory.Maybe(
        factory.LazyAttribute(lambda r: r.status != Roadmap.Status.DRAFT),
        yes_declaration=factory.SubFactory(LegalActFactory),
        no_declaration=None,
    )

    @factory.post_generation
    def edition(roadmap, create, extracted, **kwargs):
        """An approved roadmap comes with its draft edition open, so tests may change it as staff would;
        `edition=False` gives one that is locked until an edition is opened."""
        if create and extracted is not False and roadmap.status == Roadmap.Status.APPROVED:
            Revision.objects.create(
                roadmap=roadmap, date=datetime.date(2025, 1, 15), summary="Изменения 2025 года",
                status=Revision.Status.DRAFT,
            )  # fmt: skip


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: f"{n + 1}.")
    title = factory.Sequence(lambda n: f"Раздел {n + 1}")
    position = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    roadmap = factory.SubFactory(RoadmapFactory)
    section = None
    number = factory.Sequence(lambda n: f"{n + 1}.")
    title = factory.Sequence(lambda n: f"Мероприятие {n + 1}")
    deadline_text = "Ежеквартально"


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SubFactory(OrganizationFactory)


def noon(day: datetime.date | None) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day or datetime.date(2025, 1, 1), datetime.time(12)))


class CheckpointFactory(factory.django.DjangoModelFactory):
    """A checkpoint; one made in an acted-on status gets the report times and transitions the services
    would have written (reported the day of its actual date, decided a day later) unless given."""

    class Meta:
        model = Checkpoint
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    planned_start = datetime.date(2025, 1, 1)
    planned_due = datetime.date(2025, 3, 31)
    period_label = "I кв. 2025"
    status = outcomes.PLANNED
    actual_date = None
    reported_at = factory.LazyAttribute(
        lambda c: noon(c.actual_date or c.planned_due) if c.status in outcomes.ACTED_ON else None
    )
    verified_at = factory.LazyAttribute(
        lambda c: (
            c.reported_at + datetime.timedelta(days=1)
            if c.status in (outcomes.DONE, outcomes.RETURNED)
            else None
        )
    )

    @factory.post_generation
    def transitions(checkpoint, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        if checkpoint.reported_at:
            CheckpointTransition.objects.create(
                checkpoint=checkpoint, status=outcomes.REPORTED, at=checkpoint.reported_at
            )
        if checkpoint.verified_at:
            CheckpointTransition.objects.create(
                checkpoint=checkpoint, status=checkpoint.status, at=checkpoint.verified_at
            )
        if checkpoint.status == outcomes.CANCELLED:
            CheckpointTransition.objects.create(
                checkpoint=checkpoint, status=outcomes.CANCELLED, at=noon(checkpoint.planned_start)
            )


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence uploaded when its checkpoint was reported (now, for a checkpoint never reported)."""

    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    checkpoint = factory.SubFactory(CheckpointFactory)
    url = "https://example.org/news/1"

    @factory.post_generation
    def uploaded_at(evidence, create, extracted, **kwargs):
        # auto_now_add ignores a value given at creation; set the upload time afterwards.
        when = extracted or evidence.checkpoint.reported_at
        if create and when:
            Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=when)
            evidence.uploaded_at = when


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    roadmap = factory.SubFactory(RoadmapFactory)
    name = factory.Sequence(lambda n: f"Доля детей, охваченных программами, № {n}")
    unit = "%"


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = 50


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue
        skip_postgeneration_save = True

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    organization = factory.SubFactory(OrganizationFactory)
    value = 40

    @factory.post_generation
    def reported_at(value, create, extracted, **kwargs):
        # auto_now stamps every save; a value is entered during its year (15 January by default).
        when = extracted or noon(datetime.date(value.year, 1, 15))
        if create:
            IndicatorValue.objects.filter(pk=value.pk).update(reported_at=when)
            value.reported_at = when
