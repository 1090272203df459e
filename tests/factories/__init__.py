import datetime

import factory
from django.contrib.auth import get_user_model

from organizations.models import Membership, Municipality, Organization, Region
from projects.models import Project
from roadmaps.models import (
    Activity,
    Checkpoint,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
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


class CheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkpoint

    activity = factory.SubFactory(ActivityFactory)
    planned_start = datetime.date(2025, 1, 1)
    planned_due = datetime.date(2025, 3, 31)
    period_label = "I кв. 2025"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    checkpoint = factory.SubFactory(CheckpointFactory)
    url = "https://example.org/news/1"


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

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    organization = factory.SubFactory(OrganizationFactory)
    value = 40
