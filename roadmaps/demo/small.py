"""A small, realistic demo region written for the portal (not taken from any real document)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from organizations.models import Membership, Municipality, Organization, Region
from projects.models import Participant, Project
from roadmaps import outcomes, services
from roadmaps.models import Checkpoint, Indicator, IndicatorTarget, LegalAct

DEMO_PASSWORD = "demo-portal-2026"
DEMO_USERS = {
    "staff": ("Мария", "Соколова", Membership.Role.STAFF),
    "coordinator": ("Ольга", "Петрова", Membership.Role.COORDINATOR),
    "analyst": ("Игорь", "Лебедев", Membership.Role.ANALYST),
    "observer": ("Наталья", "Орлова", Membership.Role.OBSERVER),
}

SECTIONS = [
    ("1.", "Организационно-управленческие мероприятия"),
    ("2.", "Развитие кадрового потенциала"),
    ("3.", "Методическое сопровождение школ"),
    ("4.", "Мониторинг и информационное сопровождение"),
]

# (section index, number, title, deadline wording, responsible school index or None for the department)
ACTIVITIES = [
    (0, "1.1.", "Утвердить состав регионального координационного совета", "До 15.02.2026", None),
    (0, "1.2.", "Назначить школьных координаторов программы", "Январь 2026 года", 0),
    (0, "1.3.", "Провести заседание координационного совета", "Ежеквартально", None),
    (
        1,
        "2.1.",
        "Организовать курсы повышения квалификации учителей математики",
        "Март - апрель 2026 года",
        1,
    ),
    (1, "2.2.", "Провести стажировки управленческих команд школ", "Октябрь 2026 года", 2),
    (1, "2.3.", "Провести семинары для молодых педагогов", "Ноябрь, ежегодно", 0),
    (2, "3.1.", "Разработать программы антирисковых мер", "С 01.02.2026 по 30.04.2026", 0),
    (2, "3.2.", "Организовать методические консультации для школ", "Ежемесячно", 1),
    (2, "3.3.", "Провести сетевые открытые уроки", "По графику", 2),
    (3, "4.1.", "Разместить материалы программы на сайтах школ", "Постоянно", 0),
    (3, "4.2.", "Провести мониторинг реализации программ", "Июнь, ноябрь ежегодно", None),
    (3, "4.3.", "Подготовить аналитическую справку по итогам года", "С 01.11. по 31.11.2026", None),
]


def _user(username: str, first: str, last: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_small() -> bool:
    """Create the demo region once; returns False when it is already there."""
    if Region.objects.filter(code="98").exists():
        return False
    admin = get_user_model().objects.create_superuser("admin", "admin@demo.local", DEMO_PASSWORD)
    region = Region.objects.create(code="98", name="Новоградская область (демо)")
    towns = [Municipality.objects.create(region=region, name=n) for n in ("г. Новоград", "Заречный район")]
    department = Organization.objects.create(
        full_name="Департамент общего образования Новоградской области",
        short_name="ДОО НО",
        kind=Organization.Kind.REGIONAL_AUTHORITY,
        region=region,
        address="634000, г. Новоград, ул. Советская, д. 1",
        phone="+7 (3822) 00-00-00",
        email="doo@demo.local",
        inn="7000000000",
        ogrn="1027000000000",
        head_name="А. В. Морозов",
        head_position="Начальник департамента",
    )
    institute = Organization.objects.create(
        full_name="Новоградский институт повышения квалификации работников образования",
        short_name="НИПКРО",
        kind=Organization.Kind.REGIONAL_CENTRE,
        parent=department,
        region=region,
    )
    schools = [
        Organization.objects.create(
            full_name=f"Муниципальное общеобразовательное учреждение «Средняя школа № {n}»",
            short_name=f"МОУ СОШ № {n}",
            kind=Organization.Kind.SCHOOL,
            parent=department,
            region=region,
            municipality=towns[n % 2],
        )
        for n in (3, 7, 12)
    ]
    federal = Organization.objects.create(
        full_name="Федеральный институт оценки качества образования (демо)",
        short_name="ФИОКО (демо)",
        kind=Organization.Kind.FEDERAL_COORDINATOR,
    )
    for username, (first, last, role) in DEMO_USERS.items():
        organization = schools[0] if role == Membership.Role.COORDINATOR else department
        Membership.objects.create(user=_user(username, first, last), organization=organization, role=role)

    national = Project.objects.create(
        code="demo-education",
        name="Национальный проект «Образование» (демо)",
        level="national",
        year_start=2025,
        year_end=2030,
    )
    programme = Project.objects.create(
        code="demo-500",
        name="Адресная помощь школам с низкими результатами (демо)",
        level="programme",
        parent=national,
        coordinator=federal,
        region=region,
        year_start=2026,
        year_end=2026,
    )
    for school in schools:
        Participant.objects.create(project=programme, organization=school, curator=institute)

    act = LegalAct.objects.create(
        kind=LegalAct.Kind.DIRECTIVE,
        number="15-р",
        date=datetime.date(2026, 1, 20),
        issuer="Департамент общего образования Новоградской области",
    )
    roadmap = services.roadmap_create(
        actor=admin,
        owner=department,
        project=programme,
        title="Дорожная карта адресной помощи школам на 2026 год",
        year_start=2026,
        year_end=2026,
        goal="Повышение качества образования в школах с низкими результатами.",
        tasks="Выявить факторы риска; оказать методическую помощь; обеспечить мониторинг.",
    )
    sections = [services.section_create(actor=admin, roadmap=roadmap, number=n, title=t) for n, t in SECTIONS]
    activities = []
    for section_index, number, title, deadline, school_index in ACTIVITIES:
        activity = services.activity_create(
            actor=admin,
            roadmap=roadmap,
            section=sections[section_index],
            number=number,
            title=title,
            deadline_text=deadline,
            planned_result="Протокол, отчёт на сайте",
            target_audience="Школы программы",
        )
        responsible = department if school_index is None else schools[school_index]
        services.responsibility_assign(actor=admin, activities=[activity], organization=responsible)
        activities.append(activity)
    # The demo keeps wordings a person must check, so «Требует проверки» has something to show.
    services.roadmap_approve(actor=admin, roadmap=roadmap, act=act, confirm_deadline_problems=True)
    _report_some(admin, activities)
    _indicators(admin, roadmap, activities, schools)
    services.outcome_snapshots_refresh()
    return True


def _report_some(admin, activities) -> None:
    """Reports in every status: the school's by its coordinator, the department's by its staff."""
    users = get_user_model().objects.in_bulk(["coordinator", "staff"], field_name="username")
    coordinator_school = users["coordinator"].memberships.get().organization
    early = Checkpoint.objects.filter(activity__in=activities, planned_due__lt=datetime.date(2026, 6, 1))
    for index, checkpoint in enumerate(early.order_by("planned_due", "pk")[:8]):
        due = checkpoint.planned_due
        by_school = checkpoint.activity.responsibilities.filter(organization=coordinator_school).exists()
        services.checkpoint_report(
            actor=users["coordinator"] if by_school else users["staff"],
            checkpoint=checkpoint,
            actual_date=due - datetime.timedelta(days=index % 3),
            result="Мероприятие проведено, материалы размещены на сайте.",
            url="https://example.org/news",
        )
        if index % 3 == 0:
            services.checkpoint_accept(actor=users["staff"], checkpoint=checkpoint)
        elif index % 3 == 1:
            services.checkpoint_return(
                actor=users["staff"], checkpoint=checkpoint, reason="Приложите протокол заседания."
            )


def _indicators(admin, roadmap, activities, schools) -> None:
    indicator = Indicator.objects.create(
        roadmap=roadmap,
        activity=activities[3],
        name="Доля учителей, прошедших повышение квалификации",
        unit="%",
        aggregation=outcomes.MEAN,
        base_value=Decimal("20"),
        base_year=2025,
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("60"))
    for school, value in zip(schools, ("45", "62", "30"), strict=True):
        services.indicator_value_set(
            actor=admin, indicator=indicator, year=2026, organization=school, value=Decimal(value)
        )
    # Each school's own share of the roadmap's 60 %: the breakdown shows who is behind its own target.
    services.indicator_organization_targets_set(
        actor=admin, indicator=indicator, year=2026, organizations=list(schools),
        targets=dict(zip([s.pk for s in schools], (Decimal(50), Decimal(70), Decimal(55)), strict=True)),
        expected_version=indicator.version,
    )  # fmt: skip
    weighted = Indicator.objects.create(
        roadmap=roadmap,
        activity=activities[3],
        name="Доля обучающихся, охваченных дополнительным образованием",
        unit="%",
        aggregation=outcomes.WEIGHTED,
        position=1,
    )
    IndicatorTarget.objects.create(indicator=weighted, year=2026, value=Decimal("75"))
    for school, value, pupils in zip(schools, ("80", "64", "71"), ("420", "980", "150"), strict=True):
        services.indicator_value_set(
            actor=admin, indicator=weighted, year=2026, organization=school, value=Decimal(value),
            weight=Decimal(pupils),
        )  # fmt: skip
