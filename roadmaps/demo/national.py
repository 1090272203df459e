"""The national data set (`seed_demo --scale national`): a whole country's roadmaps, for the benchmarks.

Figures at NATIONAL sizes (the totals are exact; how they spread over regions, towns and roadmaps is
random, from one seeded random.Random, so two builds are equal):

- 89 regions and 2,500 municipalities;
- 42,768 organisations: a federal coordinator at the root of the tree, 89 regional authorities with two
  regional centres each (an institute of education development and a quality assessment centre), 2,500
  municipal authorities and 40,000 schools under them. Paths run /federal/region/town/school/, so a
  federal membership's scope (a path prefix, organizations/scope.py) is every region;
- 100,000 users with one membership each: about three in four are coordinators, most of them at schools;
  staff, analysts and observers sit in the authorities. All share one password hash (NATIONAL_PASSWORD);
- 5,000 roadmaps: 540 regional (in every region one of them is the «500+» programme, with hundreds of
  responsible schools in a large region), 2,260 municipal and 2,200 of schools; four in five approved,
  the rest drafts and archived, every approved or archived one with the legal act that approved it;
- 300,000 activities in sections and about 2.3 million responsibilities, mostly schools and municipal
  authorities of the roadmap's region;
- about 3 million checkpoints due across 2024–2026, from deadline wordings parsed by roadmaps.deadlines
  as the services parse them, in every status as of AS_OF, with the reporters, verifiers, times and
  CheckpointTransition rows the services would have written, and about 750,000 evidence links;
- indicators with a target for every year and the values reported so far.

The big tables are written with PostgreSQL COPY in batches of BATCH_ROWS rows; the foreign keys and
plain indexes of every table written are dropped for the load and rebuilt after it (which checks every
key), all in one transaction. Ids are assigned here, so the tables must start empty (--force empties
them first). Roadmap participants are derived afterwards by roadmaps.participation, as for any bulk
write. History is not written for generated rows (django-simple-history records people's changes, not
fixtures).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from organizations.models import Membership, Municipality, Organization, Region
from projects.models import Participant, Project
from roadmaps import outcomes
from roadmaps.deadlines import Schedule, parse_deadline
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
    Roadmap,
    RoadmapParticipant,
    Section,
)
from roadmaps.numbering import number_sort_key
from roadmaps.participation import participants_rebuild
from roadmaps.services import outcome_snapshots_refresh

SEED = 2026
# Statuses and times are as they stood at the start of this day: nothing was reported or verified later.
AS_OF = datetime.date(2026, 11, 16)
_LAST_DAY = AS_OF - datetime.timedelta(days=1)
MSK = datetime.timezone(datetime.timedelta(hours=3), "MSK")
NATIONAL_PASSWORD = "national-portal-2026"
BATCH_ROWS = 200_000
User = get_user_model()
Kind = Organization.Kind
Role = Membership.Role


@dataclass(frozen=True)
class Sizes:
    regions: int = 89
    municipalities: int = 2_500
    schools: int = 40_000
    users: int = 100_000
    regional_roadmaps: int = 540
    municipal_roadmaps: int = 2_260
    school_roadmaps: int = 2_200
    activities: int = 300_000


NATIONAL = Sizes()

# The benchmarks log in as these: username → (where, role); the places are chosen in _known_places.
KNOWN_LOGINS = {
    "national_federal_analyst": ("federal", Role.ANALYST),
    "national_regional_staff": ("regional_authority", Role.STAFF),
    "national_regional_coordinator": ("regional_centre", Role.COORDINATOR),
    "national_municipal_staff": ("municipal_authority", Role.STAFF),
    "national_school_coordinator": ("school", Role.COORDINATOR),
}

# --- Words ---------------------------------------------------------------------------------------------

PREFIXES = ["Ново", "Старо", "Верхне", "Нижне", "Северо", "Южно", "Бело", "Красно", "Светло", "Зелено"]
ROOTS = ["град", "озёр", "реч", "лес", "гор", "поль", "доль", "бор", "мор", "луж"]
MEN = ["Александр", "Алексей", "Андрей", "Дмитрий", "Сергей", "Иван", "Михаил", "Николай", "Павел"]
WOMEN = ["Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Юлия", "Марина"]
SURNAMES = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков", "Волков"]
STREETS = ["Ленина", "Советская", "Школьная", "Мира", "Молодёжная", "Центральная", "Садовая", "Гагарина"]
SCHOOL_TYPES = [  # (weight, name, short name)
    (70, "Средняя общеобразовательная школа № {n}", "СОШ № {n}"),
    (10, "Основная общеобразовательная школа № {n}", "ООШ № {n}"),
    (8, "Гимназия № {n}", "Гимназия № {n}"),
    (7, "Лицей № {n}", "Лицей № {n}"),
    (5, "Средняя школа № {n} с углублённым изучением отдельных предметов", "СОШ № {n} с УИОП"),
]
POSITIONS = {
    Role.STAFF: ["главный специалист", "ведущий специалист", "начальник отдела", "консультант"],
    Role.COORDINATOR: ["заместитель директора по УВР", "методист", "учитель", "координатор проекта"],
    Role.ANALYST: ["аналитик", "методист", "эксперт"],
    Role.OBSERVER: ["директор", "руководитель", "специалист"],
}
ROADMAP_TOPICS = [
    "повышения качества общего образования",
    "формирования функциональной грамотности обучающихся",
    "реализации проекта «Школа Минпросвещения России»",
    "развития системы наставничества педагогических работников",
    "профориентационной работы с обучающимися",
    "поддержки школ с низкими образовательными результатами",
    "подготовки к государственной итоговой аттестации",
    "развития цифровой образовательной среды",
]
SECTIONS = [
    "Организационно-управленческие мероприятия",
    "Развитие кадрового потенциала",
    "Методическое сопровождение",
    "Мониторинг и оценка качества образования",
    "Работа с обучающимися",
    "Взаимодействие с родителями и общественностью",
    "Информационное сопровождение",
    "Подведение итогов",
]
SUBSECTIONS = ["Мероприятия для руководителей", "Мероприятия для педагогов", "Мероприятия для обучающихся"]
ACTIONS = [
    "Проведение методического семинара",
    "Организация курсов повышения квалификации",
    "Проведение мониторинга",
    "Проведение стажировки",
    "Организация наставничества",
    "Проведение совещания",
    "Размещение информации на официальном сайте",
    "Анализ результатов оценочных процедур",
    "Диагностика профессиональных дефицитов педагогов",
    "Проведение открытых уроков",
    "Подготовка аналитической справки",
    "Организация консультаций",
]
TOPICS = [
    "по повышению качества образования",
    "для учителей математики",
    "для учителей русского языка",
    "по формированию функциональной грамотности",
    "по работе с обучающимися с трудностями в обучении",
    "по итогам всероссийских проверочных работ",
    "по подготовке к ГИА",
    "для управленческих команд школ",
    "в рамках проекта «500+»",
    "для молодых педагогов",
]
RESULTS = ["Протокол, информация на сайте", "Аналитическая справка", "Приказ", "Отчёт о проведении"]
DOCUMENTS = ["протокол", "приказ", "аналитическая справка", "отчёт", "план"]
AUDIENCES = ["руководители школ", "педагоги", "обучающиеся", "родители", "методисты"]
FORMATS = ["очно", "дистанционно", "в формате ВКС", "очно и дистанционно"]
REPORTS = [
    "Мероприятие проведено, материалы размещены на сайте.",
    "Выполнено, отчёт направлен.",
    "Проведено.",
]
RETURN_REASONS = ["Приложите протокол.", "Уточните результат и число участников.", "Нет ссылки на отчёт."]
CANCEL_REASONS = ["Мероприятие исключено из дорожной карты.", "Перенесено в другой план.", "Не актуально."]
INDICATORS = [
    ("Доля педагогов, прошедших повышение квалификации", "%"),
    ("Доля обучающихся, достигших базового уровня по математике", "%"),
    ("Доля обучающихся, достигших базового уровня по русскому языку", "%"),
    ("Доля обучающихся, охваченных профориентационными мероприятиями", "%"),
    ("Доля школ, перешедших в эффективный режим работы", "%"),
    ("Доля родителей, удовлетворённых качеством образования", "%"),
    ("Количество педагогов, вовлечённых в систему наставничества", "чел."),
    ("Количество проведённых методических мероприятий", "ед."),
]
MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
MONTHS_OF = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
# (weight, wording): {M} and {m2} months, {of} a month in the genitive, {y} a year of the roadmap's period.
WORDINGS = [
    (29, "Ежемесячно"),
    (30, "Ежеквартально"),
    (4, "Ежегодно"),
    (8, "{M}, ежегодно"),
    (5, "{M}, {m2} ежегодно"),
    (4, "Ежегодно, до {d} {of}"),
    (6, "Постоянно"),
    (2, "В течение года"),
    (7, "{M} {y} года"),
    (5, "{M} - {m2} {y} года"),
    (6, "До {dd}.{mm}.{y}"),
    (3, "{q} квартал {y} года"),
    (1, "По графику"),
    (1, "2 раза в год"),  # the parser does not understand it: left for staff to fix, as in real documents
]

# --- Spreading totals ------------------------------------------------------------------------------------


def spread(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Whole numbers proportional to `weights`, each at least `minimum`, adding up to `total` exactly."""
    free = total - minimum * len(weights)
    if free < 0:
        raise ValueError(f"{total} cannot make {len(weights)} parts of at least {minimum}")
    scale = free / sum(weights)
    shares = [weight * scale for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: free - sum(counts)]:
        counts[i] += 1
    return [minimum + count for count in counts]


def _noisy(rng: random.Random, count: int, sigma: float) -> list[float]:
    return [rng.lognormvariate(0, sigma) for _ in range(count)]


def _pick(rng: random.Random, options: Sequence[tuple[float, object]]):
    return rng.choices([option for _w, option in options], weights=[w for w, _option in options])[0]


def _person(rng: random.Random, women: float = 0.75) -> tuple[str, str]:
    if rng.random() < women:
        return rng.choice(WOMEN), rng.choice(SURNAMES) + "а"
    return rng.choice(MEN), rng.choice(SURNAMES)


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in the working hours of the day, Moscow time."""
    minutes = 9 * 60 + int(rng.random() * 540)
    return datetime.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=MSK)


# --- The organisation tree -------------------------------------------------------------------------------


@dataclass(eq=False)
class Org:
    id: int
    kind: str
    path: str
    full_name: str
    short_name: str
    parent_id: int | None = None
    region_id: int | None = None
    municipality_id: int | None = None
    users: dict[str, list[int]] = field(default_factory=dict)  # user ids by membership role

    def user_of(self, role: str, rng: random.Random) -> int | None:
        people = self.users.get(role)
        return rng.choice(people) if people else None


@dataclass(eq=False)
class Town:
    municipality: Municipality
    authority: Org
    schools: list[Org]


@dataclass(eq=False)
class Place:
    region: Region
    of: str  # «Новоградской области»: the genitive, which also follows «на территории»
    authority: Org
    institute: Org
    assessment: Org
    towns: list[Town]
    schools: list[Org] = field(default_factory=list)
    participants: list[Org] = field(default_factory=list)  # the «500+» schools
    participant_towns: list[Org] = field(default_factory=list)  # the authorities of their towns
    programme: Project | None = None
    regional_project: Project | None = None


@dataclass
class Country:
    federal: Org
    places: list[Place]
    orgs: list[Org]
    projects: list[Project] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)


def _names(rng: random.Random, count: int, patterns: Sequence[str], *, every_pattern: bool) -> list[str]:
    """Invented place names («Новоградская область», «г. Белоозёрск»…) in random order, no two alike: each
    stem takes every pattern, or (every_pattern=False) the pattern its place in the list gives it."""
    stems = [prefix + root for prefix in PREFIXES for root in ROOTS]
    rng.shuffle(stems)
    if every_pattern:
        names = [pattern.format(stem) for pattern in patterns for stem in stems]
        rng.shuffle(names)
    else:
        names = [patterns[n % len(patterns)].format(stem) for n, stem in enumerate(stems)]
    return [
        names[n % len(names)] + (f" № {n // len(names) + 1}" if n >= len(names) else "") for n in range(count)
    ]


REGION_PATTERNS = ["{}ская область"] * 5 + ["{}ский край", "{}ская Республика"]
TOWN_PATTERNS = ["г. {}ск", "{}ский муниципальный район", "{}ский муниципальный округ"]


def _of(region: str) -> str:
    """«Новоградская область» → «Новоградской области», the form after «на территории»."""
    words = region.replace("ская ", "ской ").replace("ский край", "ского края")
    return words.replace(" область", " области").replace(" Республика", " Республики")


def build_tree(sizes: Sizes, rng: random.Random) -> Country:
    """Regions, municipalities and every organisation, with ids and materialised paths."""
    orgs: list[Org] = []

    def add(kind: str, full_name: str, short_name: str, parent: Org | None = None, **where) -> Org:
        org_id = len(orgs) + 1
        path = f"{parent.path if parent else '/'}{org_id}/"
        orgs.append(Org(org_id, kind, path, full_name, short_name[:150], parent and parent.id, **where))
        return orgs[-1]

    federal = add(Kind.FEDERAL_COORDINATOR, "Федеральный координатор проектов в сфере образования", "ФКО")
    towns_per_region = spread(sizes.municipalities, _noisy(rng, sizes.regions, 0.5), minimum=1)
    schools_per_town = iter(spread(sizes.schools, _noisy(rng, sizes.municipalities, 0.9), minimum=1))
    town_ids = itertools.count(1)
    school_types = [(weight, (full, short)) for weight, full, short in SCHOOL_TYPES]
    places = []
    region_names = _names(rng, sizes.regions, REGION_PATTERNS, every_pattern=False)
    for number, (name, town_count) in enumerate(zip(region_names, towns_per_region, strict=True), start=1):
        region, of = Region(id=number, code=f"{number:02d}", name=name), _of(name)
        town_names = iter(_names(rng, town_count, TOWN_PATTERNS, every_pattern=True))  # unique in the region
        where = {"region_id": region.id}
        authority = add(
            Kind.REGIONAL_AUTHORITY, f"Министерство образования {of}", f"МО {of}", federal, **where
        )
        institute = add(
            Kind.REGIONAL_CENTRE, f"Институт развития образования {of}", f"ИРО {of}", authority, **where
        )
        assessment = add(
            Kind.REGIONAL_CENTRE, f"Центр оценки качества образования {of}", f"ЦОКО {of}", authority, **where
        )
        towns = []
        for _ in range(town_count):
            town_name = next(town_names)
            municipality = Municipality(
                id=next(town_ids),
                region=region,
                name=town_name,
                oktmo=f"{number:02d}{rng.randint(0, 999_999):06d}",
            )
            where = {"region_id": region.id, "municipality_id": municipality.id}
            town_authority = add(
                Kind.MUNICIPAL_AUTHORITY,
                f"Управление образования администрации муниципального образования «{town_name}»",
                f"УО «{town_name}»",
                authority,
                **where,
            )
            schools = []
            for n in range(1, next(schools_per_town) + 1):
                full, short = _pick(rng, school_types)
                full = f"Муниципальное бюджетное общеобразовательное учреждение «{full.format(n=n)}»"
                schools.append(add(Kind.SCHOOL, full, f"МБОУ {short.format(n=n)}", town_authority, **where))
            towns.append(Town(municipality, town_authority, schools))
        schools = [school for town in towns for school in town.schools]
        places.append(Place(region, of, authority, institute, assessment, towns, schools))
    return Country(federal, places, orgs)


ORGANIZATION_FIELDS = (
    "id", "full_name", "short_name", "aliases", "kind", "parent", "path", "region", "municipality",
    "address", "phone", "email", "inn", "ogrn", "head_name", "head_position",
)  # fmt: skip


def organization_row(org: Org, rng: random.Random) -> tuple:
    first, last = _person(rng, 0.6)
    address = f"{rng.randint(100_000, 699_999)}, ул. {rng.choice(STREETS)}, д. {rng.randint(1, 120)}"
    phone = f"+7 ({rng.randint(300, 899)}) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    inn, ogrn = str(rng.randint(10**9, 10**10 - 1)), f"1{rng.randint(10**11, 10**12 - 1)}"
    head = f"{first[0]}. {rng.choice(MEN)[0]}. {last}"
    position = "директор" if org.kind == Kind.SCHOOL else "руководитель"
    return (
        org.id, org.full_name, org.short_name, "", org.kind, org.parent_id, org.path, org.region_id,
        org.municipality_id, address, phone, f"org{org.id}@example.org", inn, ogrn, head, position,
    )  # fmt: skip


# --- Projects ----------------------------------------------------------------------------------------------


def add_projects(country: Country, rng: random.Random) -> None:
    """The national and federal projects; per region a regional project and the «500+» programme with
    its schools (about one in six), curated by the regional institute."""
    national = Project(
        id=1, code="national-education", name="Национальный проект «Образование»", level="national",
        year_start=2019, year_end=2030,
    )  # fmt: skip
    federal = Project(
        id=2, code="federal-modern-school", name="Федеральный проект «Современная школа»", level="federal",
        parent=national, coordinator_id=country.federal.id, year_start=2019, year_end=2030,
    )  # fmt: skip
    country.projects = [national, federal]
    for place in country.places:
        code, name = place.region.code, place.region.name
        place.programme = Project(
            id=len(country.projects) + 1, code=f"r{code}-500plus", level="programme", parent=federal,
            name=f"Адресная методическая помощь школам с низкими результатами «500+» ({name})",
            coordinator_id=country.federal.id, region=place.region, year_start=2025, year_end=2026,
        )  # fmt: skip
        place.regional_project = Project(
            id=len(country.projects) + 2, code=f"r{code}-modern-school", level="regional", parent=federal,
            name=f"Региональный проект «Современная школа» ({name})", region=place.region,
            year_start=2024, year_end=2030,
        )  # fmt: skip
        country.projects += [place.programme, place.regional_project]
        count = min(len(place.schools), max(3, round(len(place.schools) * 0.18)))
        place.participants = rng.sample(place.schools, count)
        chosen = {school.id for school in place.participants}
        place.participant_towns = [t.authority for t in place.towns if any(s.id in chosen for s in t.schools)]
        for school in place.participants:
            participant = Participant(
                id=len(country.participants) + 1, project=place.programme, organization_id=school.id,
                curator_id=place.institute.id, curator_name=" ".join(_person(rng, 0.7)),
            )  # fmt: skip
            country.participants.append(participant)


def _known_places(country: Country) -> dict[str, Org]:
    """Where the known logins work: the largest region, its first «500+» school and that school's town."""
    place = max(country.places, key=lambda p: len(p.schools))
    school = place.participants[0]
    town = next(t for t in place.towns if school in t.schools)
    return {
        "federal": country.federal,
        "regional_authority": place.authority,
        "regional_centre": place.institute,
        "municipal_authority": town.authority,
        "school": school,
    }


# --- Users and memberships ---------------------------------------------------------------------------------

# Who every organisation of a kind has; how many more people it has, relatively; and in which roles.
FIRST_ROLES = {
    Kind.FEDERAL_COORDINATOR: [Role.ANALYST],
    Kind.REGIONAL_AUTHORITY: [Role.STAFF, Role.COORDINATOR, Role.ANALYST, Role.OBSERVER],
    Kind.REGIONAL_CENTRE: [Role.COORDINATOR],
    Kind.MUNICIPAL_AUTHORITY: [Role.STAFF, Role.COORDINATOR],
    Kind.SCHOOL: [Role.COORDINATOR],
}
MORE_PEOPLE = {
    Kind.FEDERAL_COORDINATOR: 30,
    Kind.REGIONAL_AUTHORITY: 30,
    Kind.REGIONAL_CENTRE: 8,
    Kind.MUNICIPAL_AUTHORITY: 4,
    Kind.SCHOOL: 1.1,
}
MORE_ROLES = {
    Kind.FEDERAL_COORDINATOR: {Role.ANALYST: 8, Role.OBSERVER: 2},
    Kind.REGIONAL_AUTHORITY: {Role.STAFF: 50, Role.ANALYST: 25, Role.COORDINATOR: 10, Role.OBSERVER: 15},
    Kind.REGIONAL_CENTRE: {Role.COORDINATOR: 60, Role.ANALYST: 30, Role.OBSERVER: 10},
    Kind.MUNICIPAL_AUTHORITY: {Role.STAFF: 55, Role.COORDINATOR: 15, Role.ANALYST: 20, Role.OBSERVER: 10},
    Kind.SCHOOL: {Role.COORDINATOR: 70, Role.OBSERVER: 30},
}
USER_FIELDS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined",
)  # fmt: skip
MEMBERSHIP_FIELDS = ("id", "user", "organization", "role", "position")


def user_rows(
    country: Country, sizes: Sizes, rng: random.Random, password: str
) -> Iterator[tuple[tuple, tuple]]:
    """(user row, membership row) pairs; fills every Org's `users` for the roadmap steps."""
    first = sum(len(FIRST_ROLES[org.kind]) for org in country.orgs)
    more = spread(sizes.users - len(KNOWN_LOGINS) - first, [MORE_PEOPLE[org.kind] for org in country.orgs])
    next_id = itertools.count(1)
    for org, count in zip(country.orgs, more, strict=True):
        weights = MORE_ROLES[org.kind]
        roles = FIRST_ROLES[org.kind] + rng.choices(list(weights), weights=list(weights.values()), k=count)
        for n, role in enumerate(roles, start=1):
            # One in a hundred has left: the account is switched off, the membership stays.
            active = rng.random() > 0.01
            yield _user(next(next_id), f"{org.kind[:3]}{org.id}-{n}", org, role, active, rng, password)
    places = _known_places(country)
    for username, (where, role) in KNOWN_LOGINS.items():
        yield _user(next(next_id), username, places[where], role, True, rng, password)


def _user(user_id: int, username: str, org: Org, role: str, active: bool, rng: random.Random, password: str):
    org.users.setdefault(role, []).append(user_id)
    first, last = _person(rng, 0.8 if org.kind == Kind.SCHOOL else 0.65)
    joined = _moment(datetime.date(2023, 9, 1) + datetime.timedelta(days=rng.randint(0, 900)), rng)
    seen = _moment(AS_OF - datetime.timedelta(days=rng.randint(1, 200)), rng) if rng.random() < 0.7 else None
    email = f"{username}@example.org"
    user = (user_id, password, seen, False, username, first, last, email, False, active, joined)
    return user, (user_id, user_id, org.id, role, rng.choice(POSITIONS[role]))


# --- Roadmaps ----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Plan:
    """One roadmap to write: its owner, where its responsible organisations come from, how it reports."""

    id: int
    kind: str  # "500+", "regional", "municipal" or "school"
    owner: Org
    place: Place
    town: Town | None
    status: str
    project: Project | None
    period: tuple[int, int] = (2025, 2026)
    activities: int = 0
    title: str = ""
    diligence: int = 1  # 0 reports well, 1 as most do, 2 poorly
    act: LegalAct | None = None


LEVELS = {"500+": "regional", "regional": "regional", "municipal": "municipal", "school": "organization"}
PERIODS = {  # (weight, period) by roadmap status
    "approved": [(45, (2024, 2026)), (35, (2025, 2026)), (12, (2026, 2026)), (8, (2024, 2025))],
    "draft": [(80, (2026, 2026)), (20, (2025, 2026))],
    "archived": [(50, (2024, 2024)), (50, (2024, 2025))],
}
ACTIVITY_WEIGHTS = {"500+": 4.0, "regional": 4.0, "municipal": 1.2, "school": 0.7}


def plan_roadmaps(country: Country, sizes: Sizes, rng: random.Random) -> list[Plan]:
    """Every roadmap, region by region: its authority's, its towns' and its schools'."""
    places = country.places
    regional = spread(sizes.regional_roadmaps, [len(p.schools) for p in places], minimum=1)
    towns = [town for place in places for town in place.towns]
    municipal = iter(spread(sizes.municipal_roadmaps, [len(t.schools) + 4 for t in towns]))
    with_roadmap = _schools_with_roadmaps(country, sizes.school_roadmaps, rng)
    known_school = _known_places(country)["school"]
    plans: list[Plan] = []

    def add(kind: str, owner: Org, place: Place, town: Town | None = None, project=None, status="") -> None:
        status = status or _pick(rng, [(80, "approved"), (10, "draft"), (10, "archived")])
        plans.append(Plan(len(plans) + 1, kind, owner, place, town, status, project))

    for place, regional_count in zip(places, regional, strict=True):
        add("500+", place.authority, place, project=place.programme, status="approved")
        for _ in range(regional_count - 1):
            add("regional", place.authority, place, project=_maybe(rng, 0.5, place.regional_project))
        participants = {school.id for school in place.participants}
        for town in place.towns:
            for _ in range(next(municipal)):
                add("municipal", town.authority, place, town, _maybe(rng, 0.5, place.regional_project))
            for school in town.schools:
                if school.id in with_roadmap:
                    programme = place.programme if school.id in participants else None
                    status = "approved" if school is known_school else ""
                    add("school", school, place, town, programme, status)
    noise = _noisy(rng, len(plans), 0.45)
    weights = [ACTIVITY_WEIGHTS[plan.kind] * w for plan, w in zip(plans, noise, strict=True)]
    for plan, count in zip(plans, spread(sizes.activities, weights, minimum=3), strict=True):
        plan.activities = count
        if plan.kind != "500+":
            plan.period = _pick(rng, PERIODS[plan.status])
        plan.title = _title(plan, rng)
        plan.diligence = _pick(rng, [(25, 0), (55, 1), (20, 2)])
    return plans


def _schools_with_roadmaps(country: Country, count: int, rng: random.Random) -> set[int]:
    """«500+» schools first (each writes its own programme of measures), the known school among them."""
    known = _known_places(country)["school"]
    others = [s for p in country.places for s in p.participants if s is not known]
    chosen = [known, *rng.sample(others, min(len(others), count - 1))]
    if len(chosen) < count:
        taken = {school.id for school in chosen}
        rest = [s for p in country.places for s in p.schools if s.id not in taken]
        chosen += rng.sample(rest, count - len(chosen))
    return {school.id for school in chosen}


def _maybe(rng: random.Random, chance: float, thing):
    return thing if rng.random() < chance else None


def _title(plan: Plan, rng: random.Random) -> str:
    first, last = plan.period
    years = f"{first}–{last} годы" if first != last else f"{first} год"
    if plan.kind == "500+":
        return f"Дорожная карта реализации проекта «500+» на территории {plan.place.of} на {years}"
    town = plan.town and plan.town.municipality.name
    if plan.kind == "school":
        return f"Программа антирисковых мер {plan.owner.short_name} ({town}) на {years}"
    where = plan.place.of if plan.kind == "regional" else f"муниципального образования «{town}»"
    return f"Дорожная карта {rng.choice(ROADMAP_TOPICS)} на территории {where} на {years}"


ACT_SUFFIXES = {"decree": "-п", "directive": "-р", "order": ""}


def legal_acts(plans: list[Plan], rng: random.Random) -> list[LegalAct]:
    """The act that approved each approved or archived roadmap, dated about when its period starts."""
    acts = []
    for plan in plans:
        if plan.status == "draft":
            continue
        kinds = ("order",) if plan.kind in ("municipal", "school") else ("decree", "directive", "order")
        kind = rng.choice(kinds)
        number = f"{rng.randint(12, 2400)}{ACT_SUFFIXES[kind]}"
        plan.act = LegalAct(
            id=len(acts) + 1, kind=kind, number=number,
            date=datetime.date(plan.period[0], 1, 10) + datetime.timedelta(days=rng.randint(-25, 40)),
            issuer=plan.owner.full_name[:500], title=f"Об утверждении: {plan.title}"[:1000],
        )  # fmt: skip
        acts.append(plan.act)
    return acts


ROADMAP_FIELDS = (
    "id", "project", "owner", "level", "title", "year_start", "year_end", "goal", "tasks", "expected_results",
    "status", "approved_by_act", "created_at", "updated_at", "data_version", "version",
)  # fmt: skip


def roadmap_row(plan: Plan, rng: random.Random) -> tuple:
    approved = plan.act.date if plan.act else AS_OF - datetime.timedelta(days=rng.randint(5, 60))
    created = _moment(approved - datetime.timedelta(days=rng.randint(7, 40)), rng)
    changed = min(approved + datetime.timedelta(days=rng.randint(0, 300)), _LAST_DAY)
    updated = max(created, _moment(changed, rng))
    return (
        plan.id, plan.project and plan.project.id, plan.owner.id, LEVELS[plan.kind], plan.title[:1000],
        *plan.period, "Повышение качества образования и поддержка школ.",
        "Выявить дефициты; оказать методическую помощь; обеспечить мониторинг.",
        "Положительная динамика образовательных результатов.", plan.status, plan.act and plan.act.id,
        created, updated, f"{rng.getrandbits(128):032x}", 1,
    )  # fmt: skip


# --- Roadmap contents --------------------------------------------------------------------------------------

CONTENT_FIELDS = {
    Section: ("id", "roadmap", "parent", "number", "title", "position", "version"),
    Activity: (
        "id", "roadmap", "section", "number", "sort_key", "title", "goal_and_tasks", "place_and_format",
        "planned_result", "result_document", "target_audience", "links", "comment", "responsible_text",
        "deadline_text", "schedule_kind", "schedule_description", "schedule_problems", "revision_note",
        "version",
    ),
    Responsibility: (
        "id", "activity", "organization", "role", "by_agreement", "person", "position", "version",
    ),
    Checkpoint: (
        "id", "activity", "sequence", "planned_start", "planned_due", "period_label", "status",
        "actual_date", "actual_text", "result", "reported_by", "reported_at", "verified_by", "verified_at",
        "return_reason", "cancel_reason", "schedule_mismatch",
    ),
    CheckpointTransition: ("id", "checkpoint", "status", "at", "actor", "note"),
    Evidence: (
        "id", "checkpoint", "url", "file", "original_name", "content_type", "size", "uploaded_by",
        "uploaded_at", "returned_at", "public_link_version", "public_link_revoked_at",
    ),
    Indicator: (
        "id", "roadmap", "activity", "name", "unit", "base_value", "base_year", "position", "version",
    ),
    IndicatorTarget: ("id", "indicator", "year", "value"),
    IndicatorValue: ("id", "indicator", "year", "organization", "value", "reported_by", "reported_at"),
}  # fmt: skip
# How a checkpoint stands by how long ago it was due: weights of STATUSES for diligence 0, 1 and 2.
STATUSES = (outcomes.PLANNED, outcomes.REPORTED, outcomes.DONE, outcomes.RETURNED, outcomes.CANCELLED)
STATUS_WEIGHTS = {
    "long due": [(6, 3, 84, 2, 5), (12, 4, 74, 4, 6), (30, 6, 52, 5, 7)],  # over 30 days ago
    "just due": [(15, 30, 45, 6, 4), (28, 32, 30, 6, 4), (45, 30, 15, 6, 4)],  # in the last 30 days
    "not due": [(90, 4, 4, 0, 2), (93, 3, 2, 0, 2), (96, 1, 1, 0, 2)],  # later, or when no date is set
}
_CUMULATIVE = {due: [list(itertools.accumulate(w)) for w in table] for due, table in STATUS_WEIGHTS.items()}
QUARTERS = ["I", "II", "III", "IV"]
_WORDING_TEMPLATES = [wording for _weight, wording in WORDINGS]
_WORDING_CUMULATIVE = list(itertools.accumulate(weight for weight, _wording in WORDINGS))


class Ids:
    """The next id of every content table (they start empty, so from 1)."""

    def __init__(self) -> None:
        self._next = {model: itertools.count(1) for model in CONTENT_FIELDS}

    def __call__(self, model: type[Model]) -> int:
        return next(self._next[model])


class RoadmapContents:
    """The rows of one roadmap's contents by model, in CONTENT_FIELDS order: sections, activities with
    their responsibilities and checkpoints (with transitions and evidence), indicators with targets and
    values."""

    def __init__(self, plan: Plan, ids: Ids, rng: random.Random) -> None:
        self.plan, self.ids, self.rng = plan, ids, rng
        self.rows: dict[type[Model], list[tuple]] = {model: [] for model in CONTENT_FIELDS}
        # Staff who accept and return its reports: the owner's, or for a school's roadmap its town's.
        checking = plan.town.authority if plan.kind == "school" else plan.owner
        staff = checking.users.get(Role.STAFF) or checking.users.get(Role.COORDINATOR, [])
        self.verifiers = staff[:3]

    def build(self) -> RoadmapContents:
        activity_ids = [
            self._activity(section_id, f"{prefix}{n}.")
            for section_id, prefix, count in self._sections()
            for n in range(1, count + 1)
        ]
        self._indicators(activity_ids)
        return self

    def _add(self, model: type[Model], *values) -> int:
        """Append a row (its id first, then the other FIELDS) and return its id."""
        row_id = self.ids(model)
        self.rows[model].append((row_id, *values))
        return row_id

    def _sections(self) -> Iterator[tuple[int, str, int]]:
        """(section id, number prefix, activity count) of each section holding activities; a big roadmap's
        sections hold subsections («1.2.»), whose activities are numbered «1.2.3.»."""
        plan = self.plan
        count = max(1, min(len(SECTIONS), round(plan.activities / 15), plan.activities))
        for position, size in enumerate(spread(plan.activities, _noisy(self.rng, count, 0.4), 1), start=1):
            number = f"{position}."
            section_id = self._add(Section, plan.id, None, number, SECTIONS[position - 1], position, 1)
            if plan.activities < 150 or size < len(SUBSECTIONS):
                yield section_id, number, size
                continue
            for sub, sub_size in enumerate(spread(size, [1] * len(SUBSECTIONS), 1), start=1):
                sub_number = f"{number}{sub}."
                sub_id = self._add(Section, plan.id, section_id, sub_number, SUBSECTIONS[sub - 1], sub, 1)
                yield sub_id, sub_number, sub_size

    def _activity(self, section_id: int, number: str) -> int:
        plan, rng = self.plan, self.rng
        schedule = parse_deadline(_wording(rng, plan.period), period=plan.period)
        leads, co, responsible_text = _responsible(plan, number in ("1.1.", "1.1.1."), rng)
        activity_id = self._add(
            Activity, plan.id, section_id, number, number_sort_key(number),
            f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)}",
            "Повышение профессиональных компетенций педагогов." if rng.random() < 0.3 else "",
            rng.choice(FORMATS), rng.choice(RESULTS), rng.choice(DOCUMENTS), rng.choice(AUDIENCES),
            "https://example.org/roadmaps/materials" if rng.random() < 0.1 else "", "",
            responsible_text[:2000], *_schedule_fields(schedule), "", 1,
        )  # fmt: skip
        for position, org in enumerate(leads + co):
            role = "lead" if position < len(leads) else "co"
            named = len(leads) == 1 and position == 0 and rng.random() < 0.4
            # Organisations outside the owner's line of command take part «по согласованию».
            agreed = role == "co" and not org.path.startswith(plan.owner.path)
            person = " ".join(_person(rng)) if named else ""
            self._add(Responsibility, activity_id, org.id, role, agreed, person, position, 1)
        lead = rng.choice(leads)  # whose coordinator reports on the activity
        reporter = lead.user_of(Role.COORDINATOR, rng) or lead.user_of(Role.STAFF, rng)
        for sequence, (start, due, label) in enumerate(schedule.occurrences, start=1):
            self._checkpoint((activity_id, sequence, start, due, label[:100]), due or start, reporter)
        return activity_id

    def _checkpoint(self, planned: tuple, day: datetime.date | None, reporter: int | None) -> None:
        """A checkpoint as the services would have left it by AS_OF, with its transitions and evidence."""
        rng = self.rng
        status = _checkpoint_status(self.plan, day, rng)
        if status == outcomes.PLANNED:
            self._add(Checkpoint, *planned, status, None, "", "", None, None, None, None, "", "", "")
            return
        verifier = rng.choice(self.verifiers) if self.verifiers else None
        if status == outcomes.CANCELLED:
            reason, at = rng.choice(CANCEL_REASONS), _moment(min(day or _LAST_DAY, _LAST_DAY), rng)
            checkpoint_id = self._add(
                Checkpoint, *planned, status, None, "", "", None, None, None, None, "", reason, ""
            )
            self._add(CheckpointTransition, checkpoint_id, status, at, verifier, reason)
            return
        day = day or _LAST_DAY - datetime.timedelta(days=rng.randint(0, 300))
        late = rng.randint(-20, 0) if rng.random() < 0.75 else rng.randint(1, 25)
        actual = min(day + datetime.timedelta(days=late), _LAST_DAY)
        reported_day = min(actual + datetime.timedelta(days=rng.randint(0, 7)), _LAST_DAY)
        decided_day = reported_day + datetime.timedelta(days=rng.randint(1, 14))
        if decided_day > _LAST_DAY:
            status = outcomes.REPORTED  # staff have not got to it yet
        reported_at = _moment(reported_day, rng)
        decided_at = _moment(decided_day, rng) if status != outcomes.REPORTED else None
        reason = rng.choice(RETURN_REASONS) if status == outcomes.RETURNED else ""
        checkpoint_id = self._add(
            Checkpoint, *planned, status, actual, actual.strftime("%d.%m.%Y"), rng.choice(REPORTS),
            reporter, reported_at, decided_at and verifier, decided_at, reason, "", "",
        )  # fmt: skip
        self._transitions(checkpoint_id, status, (reported_at, reporter), (decided_at, verifier), reason)
        if rng.random() < 0.3:
            returned_at = decided_at if status == outcomes.RETURNED else None
            for n in range(1, 2 if rng.random() < 0.8 else 3):
                url = f"https://school.example.org/news/{checkpoint_id}-{n}"
                self._add(
                    Evidence, checkpoint_id, url, "", "", "", 0, reporter, reported_at, returned_at, 1, None
                )

    def _transitions(
        self, checkpoint_id: int, status: str, reported: tuple, decided: tuple, reason: str
    ) -> None:
        """What checkpoint_report, _accept and _return append (roadmaps/services/checkpoints.py)."""
        (reported_at, reporter), (decided_at, verifier) = reported, decided
        if status == outcomes.DONE and self.rng.random() < 0.12:  # accepted at the second attempt
            first = reported_at - datetime.timedelta(days=10)
            returned = reported_at - datetime.timedelta(days=5)
            note = self.rng.choice(RETURN_REASONS)
            self._add(CheckpointTransition, checkpoint_id, outcomes.REPORTED, first, reporter, "")
            self._add(CheckpointTransition, checkpoint_id, outcomes.RETURNED, returned, verifier, note)
        self._add(CheckpointTransition, checkpoint_id, outcomes.REPORTED, reported_at, reporter, "")
        if decided_at:
            self._add(CheckpointTransition, checkpoint_id, status, decided_at, verifier, reason)

    def _indicators(self, activity_ids: list[int]) -> None:
        """Indicators with a target for every year of the period and the values reported for past years."""
        plan, rng = self.plan, self.rng
        first, last = plan.period
        count = {"500+": 6, "regional": 5, "municipal": 3, "school": 2}[plan.kind] + rng.randint(-1, 1)
        for position, (name, unit) in enumerate(rng.sample(INDICATORS, count), start=1):
            base = rng.uniform(20, 60) if unit == "%" else float(rng.randint(5, 200))
            activity_id = rng.choice(activity_ids) if rng.random() < 0.6 else None
            indicator_id = self._add(
                Indicator, plan.id, activity_id, name, unit, f"{base:.2f}", first - 1, position, 1
            )
            for year in range(first, last + 1):
                target = base * (1 + 0.08 * (year - first + 1))
                target = min(target, 100) if unit == "%" else target
                self._add(IndicatorTarget, indicator_id, year, f"{target:.2f}")
            if plan.status != "draft":
                # The owner reports; in a «500+» roadmap every school of the programme does too.
                schools = plan.place.participants if plan.kind == "500+" and activity_id else []
                self._values(indicator_id, base, [plan.owner, *schools])

    def _values(self, indicator_id: int, base: float, organizations: list[Org]) -> None:
        """Each organisation's value for every year of the period gone by, entered early the next year."""
        rng = self.rng
        for year in range(self.plan.period[0], min(self.plan.period[1], AS_OF.year) + 1):
            if year == AS_OF.year and rng.random() < 0.8:
                continue  # most of this year's values are still to come
            for org in organizations:
                entered = min(datetime.date(year + 1, 1, 20), _LAST_DAY)
                at = _moment(entered - datetime.timedelta(days=rng.randint(0, 40)), rng)
                by = org.user_of(Role.COORDINATOR, rng) or org.user_of(Role.STAFF, rng)
                value = f"{base * rng.uniform(0.95, 1.25):.2f}"
                self._add(IndicatorValue, indicator_id, year, org.id, value, by, at)


def _wording(rng: random.Random, period: tuple[int, int]) -> str:
    template = rng.choices(_WORDING_TEMPLATES, cum_weights=_WORDING_CUMULATIVE)[0]
    if "{" not in template:
        return template
    month, day, quarter = rng.randint(1, 11), rng.choice((1, 10, 15, 20, 25)), rng.randint(0, 3)
    return template.format(
        M=MONTHS[month - 1].capitalize(), m2=MONTHS[rng.randint(month, 11)], of=MONTHS_OF[month - 1],
        d=day, dd=f"{day:02d}", mm=f"{month:02d}", y=rng.randint(*period), q=QUARTERS[quarter],
    )  # fmt: skip


def _schedule_fields(schedule: Schedule) -> tuple:
    """deadline_text and what activity_sync_checkpoints stores from the parsed schedule."""
    problems = json.dumps(list(schedule.problems), ensure_ascii=False)
    return schedule.text, schedule.kind, schedule.describe()[:255], problems


def _responsible(plan: Plan, first: bool, rng: random.Random) -> tuple[list[Org], list[Org], str]:
    """(lead organisations, co-executors, the responsible column as the document words it)."""
    place, town, r = plan.place, plan.town, rng.random()
    institute, assessment, authority = place.institute, place.assessment, place.authority
    if plan.kind == "500+":
        if r < 0.45 or first:  # a «500+» roadmap opens with what every school of the programme does
            return _worded(place.participants, _some(rng, 0.5, institute), "ОО — участники проекта «500+»")
        if r < 0.70:
            return _worded([institute], _some(rng, 0.4, assessment))
        if r < 0.90:
            return _worded([authority], [])
        return _worded(place.participant_towns, [authority], "Муниципальные органы управления образованием")
    if plan.kind == "regional":
        if r < 0.35:
            return _worded([authority], _some(rng, 0.4, institute))
        if r < 0.65:
            return _worded([institute], _some(rng, 0.3, assessment))
        if r < 0.77:
            towns = [t.authority for t in place.towns]
            return _worded([authority], towns, "Муниципальные органы управления образованием")
        pilots = rng.sample(place.schools, min(len(place.schools), rng.randint(5, 30)))
        return _worded(pilots, [institute], "Пилотные общеобразовательные организации")
    if plan.kind == "municipal":
        if r < 0.6 or not town.schools:
            return _worded([town.authority], [])
        if r < 0.75:
            return _worded(town.schools, [], "Общеобразовательные организации")
        return _worded(rng.sample(town.schools, min(len(town.schools), rng.randint(2, 5))), [town.authority])
    return _worded([plan.owner], _some(rng, 0.1, institute))


def _some(rng: random.Random, chance: float, org: Org) -> list[Org]:
    return [org] if rng.random() < chance else []


def _worded(leads: list[Org], co: list[Org], group: str = "") -> tuple[list[Org], list[Org], str]:
    names = [org.short_name for org in co if org.kind != Kind.MUNICIPAL_AUTHORITY or not group]
    return leads, co, ", ".join([group, *names] if group else [org.short_name for org in leads] + names)


def _checkpoint_status(plan: Plan, day: datetime.date | None, rng: random.Random) -> str:
    if plan.status == "draft":
        return outcomes.PLANNED  # nobody reports on a roadmap that is not in force
    overdue = (AS_OF - day).days if day else -1
    due = "long due" if overdue > 30 else "just due" if overdue >= 0 else "not due"
    return rng.choices(STATUSES, cum_weights=_CUMULATIVE[due][plan.diligence])[0]


# --- Writing -----------------------------------------------------------------------------------------------

FIELDS: dict[type[Model], tuple[str, ...]] = {
    Organization: ORGANIZATION_FIELDS,
    User: USER_FIELDS,
    Membership: MEMBERSHIP_FIELDS,
    Roadmap: ROADMAP_FIELDS,
    **CONTENT_FIELDS,
}
# Every table the national set fills: refused unless empty, and its keys set aside during the load.
WRITTEN = [Region, Municipality, Project, Participant, LegalAct, *FIELDS, RoadmapParticipant]


class CopyWriter:
    """Buffers rows per model (tuples in FIELDS order) and sends each batch with one COPY … FROM STDIN.

    CSV: None becomes an empty unquoted field, which COPY reads as NULL, except in NOT NULL columns
    (FORCE_NOT_NULL), where it is the empty string the model stores there.
    """

    def __init__(self, cursor, batch_rows: int = BATCH_ROWS) -> None:
        self.cursor, self.batch_rows = cursor, batch_rows
        self.written: dict[type[Model], int] = dict.fromkeys(FIELDS, 0)
        self._files: dict[type[Model], io.StringIO] = {}
        self._pending: dict[type[Model], int] = {}

    def write(self, model: type[Model], rows: list[tuple]) -> None:
        file = self._files.setdefault(model, io.StringIO())
        csv.writer(file, lineterminator="\n").writerows(rows)
        self._pending[model] = self._pending.get(model, 0) + len(rows)
        if self._pending[model] >= self.batch_rows:
            self._send(model)

    def flush(self) -> None:
        for model in list(self._files):
            self._send(model)

    def _send(self, model: type[Model]) -> None:
        file = self._files.pop(model)
        self.written[model] += self._pending.pop(model)
        file.seek(0)
        self.cursor.copy_expert(_copy_sql(model), file, 1 << 20)


def _copy_sql(model: type[Model]) -> str:
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in FIELDS[model]]
    columns = ", ".join(quote(f.column) for f in fields)
    not_null = ", ".join(quote(f.column) for f in fields if not f.null)
    table = quote(model._meta.db_table)
    return f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"


@contextmanager
def _keys_and_indexes_set_aside(cursor, tables: list[str], progress: Callable[[str], None]) -> Iterator[None]:
    """Drop the foreign keys and non-unique indexes of `tables` for a bulk load; recreate them afterwards.

    Building an index once and checking a key with one join is many times faster than doing either row by
    row, and recreating a foreign key checks every row. Primary keys and unique constraints stay.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [tables],
    )
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for table, name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.perf_counter()
    for _name, definition in indexes:
        cursor.execute(definition)
    progress(f"national: {len(indexes)} indexes rebuilt in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    for table, name, definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    progress(
        f"national: {len(keys)} foreign keys restored and checked in {time.perf_counter() - started:.0f} s"
    )


def _make_room(cursor, force: bool) -> None:
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in WRITTEN]
    filled = []
    for table in tables:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
        if cursor.fetchone()[0]:
            filled.append(table)
    if filled and not force:
        raise CommandError(
            f"The database already holds data ({', '.join(filled[:3])}…), and the national data set is "
            "written into empty tables: use a fresh database, or --force to empty these tables first."
        )
    if filled:
        # Deferred foreign-key checks of rows written earlier in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")


def load_national(
    *, sizes: Sizes = NATIONAL, force: bool = False, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Write the national data set into an empty PostgreSQL database; returns the summary counts."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "The national data set is PostgreSQL-only (it is written with COPY and is far too big for "
            f"{connection.vendor}): set DATABASE_URL=postgres://…"
        )
    started = time.perf_counter()
    rng = random.Random(SEED)
    # One hash for everybody instead of 100,000 slow ones; a fixed salt keeps two builds equal.
    password = make_password(NATIONAL_PASSWORD, salt=f"national{SEED}")
    tables = [model._meta.db_table for model in WRITTEN]

    def note(what: str) -> None:
        progress(f"national: {what} ({time.perf_counter() - started:.0f} s)")

    with transaction.atomic(), connection.cursor() as cursor:
        _make_room(cursor, force)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        with _keys_and_indexes_set_aside(cursor, tables, progress):
            writer = CopyWriter(cursor)
            country = _write_country(writer, sizes, rng, password)
            note(f"{len(country.orgs)} organisations, {sizes.users} users")
            plans = plan_roadmaps(country, sizes, rng)
            LegalAct.objects.bulk_create(legal_acts(plans, rng), batch_size=2000)
            writer.write(Roadmap, [roadmap_row(plan, rng) for plan in plans])
            ids = Ids()
            for n, plan in enumerate(plans, start=1):
                for model, rows in RoadmapContents(plan, ids, rng).build().rows.items():
                    writer.write(model, rows)
                if n % 500 == 0:
                    note(f"roadmaps {n}/{len(plans)}, checkpoints {writer.written[Checkpoint]:,} sent")
            writer.flush()
            note(", ".join(f"{model._meta.verbose_name_plural} {n:,}" for model, n in writer.written.items()))
            participants_rebuild()  # visibility reads these, derived from the responsibilities
        for statement in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")
    note("loaded and analysed")
    # The scope dashboard reads snapshots: generated data starts counted, like the bench and demo sets.
    note(f"outcome snapshots: {outcome_snapshots_refresh()} roadmaps counted")
    return national_counts()


def _write_country(writer: CopyWriter, sizes: Sizes, rng: random.Random, password: str) -> Country:
    country = build_tree(sizes, rng)
    add_projects(country, rng)
    Region.objects.bulk_create([place.region for place in country.places])
    Municipality.objects.bulk_create(
        [t.municipality for p in country.places for t in p.towns], batch_size=2000
    )
    writer.write(Organization, [organization_row(org, rng) for org in country.orgs])
    Project.objects.bulk_create(country.projects)
    Participant.objects.bulk_create(country.participants, batch_size=2000)
    users, memberships = zip(*user_rows(country, sizes, rng, password), strict=True)
    writer.write(User, list(users))
    writer.write(Membership, list(memberships))
    return country


def national_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "activities": Activity.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
    }
