"""Time the region-wide notification fan-out: a quarter closing for 2,000 schools.

Builds, in one transaction rolled back at the end, a region of 2,000 schools with two coordinators each
and one open checkpoint per school due on the quarter's last day, then runs the daily task that announces
the closing quarter (in-process here: batches of 500 organisations, each its own task) and prints:
notifications: period closing for 2000 schools → 4000 notifications in X.XX s (4 batch tasks, PostgreSQL)

Run: .venv/bin/python bench/bench_notifications.py
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _region import authority_with_schools  # noqa: E402

SCHOOLS = 2000
COORDINATORS_PER_SCHOOL = 2


class Rollback(Exception):
    pass


def _region(today: datetime.date):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from organizations.models import Membership
    from roadmaps.models import Activity, Checkpoint, LegalAct, Responsibility, Roadmap

    authority, school_ids = authority_with_schools(
        full_name="Министерство образования (замер)", short_name="МО-замер", schools=SCHOOLS
    )
    password = make_password(None)
    User.objects.bulk_create(
        User(username=f"bench-coordinator-{n}", email=f"c{n}@bench.example", password=password)
        for n in range(SCHOOLS * COORDINATORS_PER_SCHOOL)
    )
    users = list(
        User.objects.filter(username__startswith="bench-coordinator-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        Membership(
            user_id=user_id, organization_id=school_ids[n // COORDINATORS_PER_SCHOOL], role="coordinator"
        )
        for n, user_id in enumerate(users)
    )
    act = LegalAct.objects.create(
        kind=LegalAct.Kind.ORDER, number="1-р", date=today.replace(day=1), issuer="Министерство образования"
    )
    roadmap = Roadmap.objects.create(
        approved_by_act=act,
        owner=authority,
        title="Дорожная карта (замер)",
        year_start=today.year,
        year_end=today.year,
        status=Roadmap.Status.APPROVED,
    )
    Activity.objects.bulk_create(
        Activity(roadmap=roadmap, number=f"{n + 1}.", title=f"Мероприятие {n + 1}") for n in range(SCHOOLS)
    )
    activities = list(roadmap.activities.order_by("pk").values_list("pk", flat=True))
    Responsibility.objects.bulk_create(
        Responsibility(activity_id=a, organization_id=s) for a, s in zip(activities, school_ids, strict=True)
    )
    return activities, Checkpoint


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("notifications: fan-out skipped — measured on PostgreSQL (set DATABASE_URL)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop(
        "CELERY_BROKER_URL", None
    )  # the batch tasks run in-process: the fan-out is timed, not the queue
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    from organizations.models import Notification
    from roadmaps import reporting_periods
    from roadmaps.services.notices import closing_quarter
    from roadmaps.tasks import PERIOD_CLOSING_BATCH, announce_period_closing

    # The run is dated the quarter's last day, when it is closing whatever PERIOD_CLOSING_NOTICE_DAYS is.
    now = datetime.date.today()
    today = reporting_periods.quarter(now.year, (now.month - 1) // 3 + 1).last_day
    span = closing_quarter(today)
    try:
        with transaction.atomic():
            activities, Checkpoint = _region(today)
            Checkpoint.objects.bulk_create(
                Checkpoint(activity_id=a, planned_due=span.last_day, period_label=span.label)
                for a in activities
            )
            started = time.perf_counter()
            organizations = announce_period_closing(today.isoformat())
            elapsed = time.perf_counter() - started
            created = Notification.objects.filter(event=Notification.Event.PERIOD_CLOSING).count()
            raise Rollback
    except Rollback:
        pass
    batches = -(-organizations // PERIOD_CLOSING_BATCH)
    assert settings.CELERY_TASK_ALWAYS_EAGER
    print(
        f"notifications: period closing for {organizations} schools → {created} notifications"
        f" in {elapsed:.2f} s ({batches} batch tasks of {PERIOD_CLOSING_BATCH}, PostgreSQL)"
    )


if __name__ == "__main__":
    main()
