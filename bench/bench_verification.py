"""Time a bulk accept of 500 reported checkpoints from the verification queue, in one request.

Builds, in one transaction rolled back at the end, a region authority with 50 schools, a roadmap whose
activities each have one responsible school, and 500 checkpoints reported by the schools' coordinators;
then a staff member posts «все по фильтру → Принять» to /roadmaps/verification/bulk/ (the view, the
bulk service, its lock, history, transitions and data-version step) and prints:
verification: bulk accept of 500 checkpoints in X.XX s (N queries, PostgreSQL)

Run: DATABASE_URL=postgres://… .venv/bin/python bench/bench_verification.py
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _region import authority_with_schools  # noqa: E402

CHECKPOINTS = 500
SCHOOLS = 50
GOAL_SECONDS = 2.0


class Rollback(Exception):
    pass


def _queue(today: datetime.date):
    """The staff member and 500 reported checkpoints of their roadmap (bulk inserts: setup, not timed)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from organizations.models import Membership
    from roadmaps.models import Activity, Checkpoint, CheckpointTransition, LegalAct, Responsibility, Roadmap

    authority, school_ids = authority_with_schools(
        full_name="Министерство образования (замер очереди)", short_name="МО-очередь", schools=SCHOOLS
    )
    staff = User.objects.create(username="bench-verification-staff")
    Membership.objects.create(user=staff, organization=authority, role=Membership.Role.STAFF)
    coordinator = User.objects.create(username="bench-verification-coordinator")
    act = LegalAct.objects.create(kind="order", number="1-замер", date=datetime.date(today.year, 1, 10))
    roadmap = Roadmap.objects.create(
        owner=authority,
        title="Дорожная карта (замер проверки)",
        year_start=today.year,
        year_end=today.year,
        status=Roadmap.Status.APPROVED,
        approved_by_act=act,
    )
    activities = Activity.objects.bulk_create(
        Activity(roadmap=roadmap, number=f"{n + 1}.", title=f"Мероприятие {n + 1}", sort_key=f"{n:06d}")
        for n in range(CHECKPOINTS // 5)
    )
    Responsibility.objects.bulk_create(
        Responsibility(activity=activity, organization_id=school_ids[n % SCHOOLS])
        for n, activity in enumerate(activities)
    )
    due = today - datetime.timedelta(days=1)
    reported_at = timezone.now() - datetime.timedelta(hours=1)
    checkpoints = Checkpoint.objects.bulk_create(
        Checkpoint(
            activity=activity,
            sequence=k,
            planned_due=due,
            period_label=f"этап {k + 1}",
            status=Checkpoint.Status.REPORTED,
            actual_date=due,
            actual_text=due.strftime("%d.%m.%Y"),
            result="Проведено, протокол приложен",
            reported_by=coordinator,
            reported_at=reported_at,
        )
        for activity in activities
        for k in range(5)
    )
    CheckpointTransition.objects.bulk_create(
        CheckpointTransition(checkpoint=c, status=c.status, at=reported_at, actor=coordinator)
        for c in checkpoints
    )
    return staff, roadmap


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("verification: skipped — measured on PostgreSQL (set DATABASE_URL)")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from roadmaps.models import Checkpoint

    try:
        with transaction.atomic():
            staff, roadmap = _queue(timezone.localdate())
            client = Client()
            client.force_login(staff)
            data = {"action": "accept", "scope": "all", "filters": f"roadmap={roadmap.pk}"}
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.post(reverse("roadmaps:verification-bulk"), data)
                elapsed = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            accepted = Checkpoint.objects.filter(
                activity__roadmap=roadmap, status=Checkpoint.Status.DONE
            ).count()
            assert accepted == CHECKPOINTS, accepted
            raise Rollback
    except Rollback:
        pass
    goal = "" if elapsed <= GOAL_SECONDS else f" — over the {GOAL_SECONDS:.0f} s goal"
    print(
        f"verification: bulk accept of {CHECKPOINTS} checkpoints in {elapsed:.2f} s"
        f" ({len(queries)} queries, PostgreSQL){goal}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
