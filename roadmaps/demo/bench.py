"""The benchmark data set: national-scale shapes written with bulk inserts.

History is not written for generated rows (django-simple-history records people's changes, not fixtures).
"""

import datetime
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Membership, Organization, Region
from roadmaps import outcomes
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Roadmap,
    Section,
)
from roadmaps.numbering import number_sort_key
from roadmaps.participation import participants_rebuild
from roadmaps.services import outcome_snapshots_refresh

REGIONS = 10
ROADMAPS_PER_REGION = 5
ACTIVITIES = 100
BIG_ROADMAP_ACTIVITIES = 300
CHECKPOINTS_PER_ACTIVITY = 20
SCHOOLS_PER_ROADMAP = 4
BATCH = 5000
INDICATOR_EVERY = 10  # activities; the first school's 25 give the coordinator's page three indicators
STATUSES = ["planned"] * 10 + ["reported"] * 3 + ["done"] * 5 + ["returned", "cancelled"]
WORDINGS = [
    "Ежемесячно",
    "Ежеквартально",
    "Ноябрь, ежегодно",
    "По графику",
    "Постоянно",
    "Март - апрель 2025 года",
]
BENCH_PASSWORD = "bench-portal-2026"


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _transitions_for(checkpoints: list[Checkpoint]) -> list[CheckpointTransition]:
    """What the services would have appended for these statuses (reports as of a date read them)."""
    rows = []
    for c in checkpoints:
        if c.status == "cancelled":
            rows.append(CheckpointTransition(checkpoint=c, status="cancelled", at=_noon(c.planned_start)))
        if c.reported_at:
            rows.append(CheckpointTransition(checkpoint=c, status="reported", at=c.reported_at))
        if c.verified_at:
            rows.append(CheckpointTransition(checkpoint=c, status=c.status, at=c.verified_at))
    return rows


def _checkpoints_for(activity: Activity, rng: random.Random, today: datetime.date) -> list[Checkpoint]:
    rows = []
    for n in range(CHECKPOINTS_PER_ACTIVITY):
        year, month = 2025 + n // 12, n % 12 + 1
        due = _month_end(year, month)
        status = rng.choice(STATUSES) if due < today else "planned"
        acted = status in ("reported", "done", "returned")
        actual = due - datetime.timedelta(days=rng.randint(-5, 10)) if acted else None
        reported_at = _noon(actual + datetime.timedelta(days=1)) if acted else None
        decided_at = _noon(actual + datetime.timedelta(days=4)) if status in ("done", "returned") else None
        rows.append(
            Checkpoint(
                activity=activity,
                sequence=n + 1,
                planned_start=due.replace(day=1),
                planned_due=due,
                period_label=f"{month:02d}.{year}",
                status=status,
                actual_date=actual,
                reported_at=reported_at,
                verified_at=decided_at,
                result="Выполнено, отчёт размещён" if acted else "",
                return_reason="Уточните результат" if status == "returned" else "",
            )
        )
    return rows


def load_bench(progress: Callable[[str], None]) -> dict[str, int]:
    """Create ≥50 roadmaps × 100 activities × 20 checkpoints; returns the row counts."""
    if Region.objects.filter(code="B01").exists():
        progress("bench data already present")
        return _counts()
    rng = random.Random(2026)
    today = datetime.date(2026, 11, 1)
    user_model = get_user_model()
    with transaction.atomic():
        act = LegalAct.objects.create(kind="order", number="1-б", date=datetime.date(2025, 1, 10))
        for r in range(REGIONS):
            region = Region.objects.create(code=f"B{r + 1:02d}", name=f"Регион для замеров № {r + 1}")
            authority = Organization.objects.create(
                full_name=f"Министерство образования региона № {r + 1}",
                short_name=f"МО-{r + 1}",
                kind=Organization.Kind.REGIONAL_AUTHORITY,
                region=region,
            )
            if r == 0:
                staff = user_model.objects.create_user("bench_staff", password=BENCH_PASSWORD)
                Membership.objects.create(user=staff, organization=authority, role="staff")
            for m in range(ROADMAPS_PER_REGION):
                size = BIG_ROADMAP_ACTIVITIES if (r, m) == (0, 0) else ACTIVITIES
                _roadmap(authority, region, act, r, m, size, rng, today, first=(r, m) == (0, 0))
            progress(f"region {r + 1}/{REGIONS}: {Checkpoint.objects.count()} checkpoints")
        participants_rebuild()  # the bulk inserts sent no signals
    progress(f"outcome snapshots: {outcome_snapshots_refresh()} roadmaps counted")
    return _counts()


def _roadmap(authority, region, act, r: int, m: int, size: int, rng, today, *, first: bool) -> None:
    schools = [
        Organization.objects.create(
            full_name=f"Школа № {m * 10 + s + 1} региона {r + 1}",
            short_name=f"Ш{r + 1}-{m * 10 + s + 1}",
            kind=Organization.Kind.SCHOOL,
            parent=authority,
            region=region,
        )
        for s in range(SCHOOLS_PER_ROADMAP)
    ]
    if first:
        user = get_user_model().objects.create_user("bench_coordinator", password=BENCH_PASSWORD)
        Membership.objects.create(user=user, organization=schools[0], role="coordinator")
    roadmap = Roadmap.objects.create(
        owner=authority,
        title=f"Дорожная карта {m + 1} региона {r + 1}",
        year_start=2025,
        year_end=2026,
        status="approved",
        approved_by_act=act,
    )
    sections = Section.objects.bulk_create(
        Section(roadmap=roadmap, number=f"{s + 1}.", title=f"Направление {s + 1}", position=s + 1)
        for s in range(5)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            roadmap=roadmap,
            section=sections[a * 5 // size],
            number=f"{a * 5 // size + 1}.{a % (size // 5) + 1}.",
            sort_key=number_sort_key(f"{a * 5 // size + 1}.{a % (size // 5) + 1}."),
            title=f"Мероприятие {a + 1}: методическое сопровождение школ",
            deadline_text=WORDINGS[a % len(WORDINGS)],
            responsible_text="",
        )
        for a in range(size)
    )
    # The first school answers for 25 activities (500 checkpoints): the coordinator benchmark's load.
    Responsibility.objects.bulk_create(
        Responsibility(activity=activity, organization=schools[min(i // 25, SCHOOLS_PER_ROADMAP - 1)])
        for i, activity in enumerate(activities)
    )
    _indicators(roadmap, activities, schools[0])
    checkpoints: list[Checkpoint] = []
    for activity in activities:
        checkpoints.extend(_checkpoints_for(activity, rng, today))
        if len(checkpoints) >= BATCH:
            _save_checkpoints(checkpoints)
            checkpoints = []
    _save_checkpoints(checkpoints)


def _indicators(roadmap: Roadmap, activities: list[Activity], school: Organization) -> None:
    """Activity indicators with yearly targets, and the first school's value for the first year: the
    coordinator's page, the dashboards and the reports then run their indicator queries as on real data."""
    indicators = Indicator.objects.bulk_create(
        Indicator(
            roadmap=roadmap,
            activity=activity,
            name=f"Доля школ, охваченных мероприятием {n + 1}",
            position=n,
            aggregation=outcomes.MEAN,
        )
        for n, activity in enumerate(activities[::INDICATOR_EVERY])
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=year, value=value)
        for indicator in indicators
        for year, value in ((2025, 40), (2026, 60))
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=2025, organization=school, value=35)
        for indicator in indicators
    )


def _save_checkpoints(checkpoints: list[Checkpoint]) -> None:
    Checkpoint.objects.bulk_create(checkpoints, batch_size=BATCH)
    CheckpointTransition.objects.bulk_create(_transitions_for(checkpoints), batch_size=BATCH)


def _counts() -> dict[str, int]:
    return {
        "roadmaps": Roadmap.objects.count(),
        "activities": Activity.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
        "organizations": Organization.objects.count(),
    }
