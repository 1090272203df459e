"""Roadmaps and what is in them: sections, activities, responsibilities, checkpoints, evidence."""

from __future__ import annotations

import datetime
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Model

from projects.models import Project
from roadmaps import outcomes
from roadmaps.deadlines import Schedule, parse_deadline
from roadmaps.demo.national.common import _LAST_DAY, AS_OF, Kind, Role, Sizes
from roadmaps.demo.national.country import (
    Country,
    Org,
    Place,
    Town,
    _known_places,
    _moment,
    _noisy,
    _person,
    _pick,
    spread,
)
from roadmaps.demo.national.words import (
    ACTIONS,
    AUDIENCES,
    CANCEL_REASONS,
    DOCUMENTS,
    FORMATS,
    INDICATORS,
    MONTHS,
    MONTHS_OF,
    REPORTS,
    RESULTS,
    RETURN_REASONS,
    ROADMAP_TOPICS,
    SECTIONS,
    SUBSECTIONS,
    TOPICS,
    WORDINGS,
)
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
    Section,
)
from roadmaps.numbering import number_sort_key

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
        "version", "schedule_by_hand", "unscheduled_reason",
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
        "aggregation",
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
            responsible_text[:2000], *_schedule_fields(schedule), "", 1, False, "",
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
                Indicator, plan.id, activity_id, name, unit, f"{base:.2f}", first - 1, position, 1,
                outcomes.default_aggregation(unit),
            )  # fmt: skip
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
