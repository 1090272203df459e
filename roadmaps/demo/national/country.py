"""The organisation tree (federal → region → town → school), projects, users and memberships."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from organizations.models import Municipality, Region
from projects.models import Participant, Project
from roadmaps.demo.national.common import AS_OF, KNOWN_LOGINS, MSK, Kind, Role, Sizes
from roadmaps.demo.national.words import (
    MEN,
    POSITIONS,
    PREFIXES,
    ROOTS,
    SCHOOL_TYPES,
    STREETS,
    SURNAMES,
    WOMEN,
)

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
    "id", "full_name", "short_name", "kind", "parent", "path", "region", "municipality",
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
        org.id, org.full_name, org.short_name, org.kind, org.parent_id, org.path, org.region_id,
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
