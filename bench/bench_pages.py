"""Server time of the roadmap page and «Мои мероприятия», and the requests per second gunicorn sustains.

Run from the project root: `DATABASE_URL=postgres://… python bench/bench_pages.py` after
`manage.py seed_demo --scale bench`. Prints one line per figure. Production-like settings (DEBUG off,
plain static storage, persistent connections) are set unless the environment already says otherwise.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _server import PRODUCTION_LIKE, gunicorn

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 3
REQUESTS = 20
ROADMAP_ACTIVITIES = 300
COORDINATOR_CHECKPOINTS = 500
LOAD_REQUESTS = 600
LOAD_CONCURRENCY = 8
LOAD_TIME_LIMIT = 60.0


# --- Load client (runs as a second process) ---------------------------------------------------------


def load_client(port: int, path: str, cookie: str, total: int, concurrency: int, limit: float) -> None:
    """Fire `total` GETs with `concurrency` threads, stopping at `limit` seconds; print a JSON summary."""
    started = time.perf_counter()
    deadline = started + limit

    def one(_: int) -> int:
        if time.perf_counter() > deadline:
            return -1
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        statuses = list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - started
    done = [s for s in statuses if s != -1]
    print(json.dumps({"done": len(done), "ok": done.count(200), "elapsed": elapsed}))


# --- Bench data ---------------------------------------------------------------------------------------


def _big_roadmap():
    from django.db.models import Count

    from roadmaps.models import Roadmap

    found = (
        Roadmap.objects.annotate(n=Count("activities"))
        .filter(n__gte=ROADMAP_ACTIVITIES)
        .order_by("n", "pk")
        .select_related("owner")
        .first()
    )
    return found or _create_big_roadmap()


def _create_big_roadmap():
    """Only when the bench data set is missing its 300-activity roadmap: bulk-create one."""
    from organizations.models import Organization
    from roadmaps.models import Activity, Checkpoint, LegalAct, Responsibility, Roadmap
    from roadmaps.numbering import number_sort_key

    owner = Organization.objects.create(
        full_name="Орган для замеров", short_name="ЗАМЕР", kind="regional_authority"
    )
    school = Organization.objects.create(
        full_name="Школа для замеров", short_name="ЗАМЕР-Ш", kind="school", parent=owner
    )
    act = LegalAct.objects.create(kind="order", number="bench", date=datetime.date(2025, 1, 1))
    roadmap = Roadmap.objects.create(
        owner=owner,
        title="Замер: 300 мероприятий",
        year_start=2025,
        year_end=2026,
        status="approved",
        approved_by_act=act,
    )
    activities = Activity.objects.bulk_create(
        Activity(roadmap=roadmap, number=f"{n}.", sort_key=number_sort_key(f"{n}."), title=f"Мероприятие {n}")
        for n in range(1, ROADMAP_ACTIVITIES + 1)
    )
    Responsibility.objects.bulk_create(
        Responsibility(activity=a, organization=school) for a in activities[:25]
    )
    Checkpoint.objects.bulk_create(
        Checkpoint(activity=a, sequence=k, planned_due=datetime.date(2025 + k // 12, k % 12 + 1, 28))
        for a in activities
        for k in range(20)
    )
    return roadmap


def _coordinator_school(roadmap):
    """A school (a leaf, so its scope is itself) responsible for about 500 checkpoints."""
    from django.db.models import Count

    from organizations.models import Organization
    from roadmaps.models import Responsibility

    rows = (
        Responsibility.objects.filter(organization__kind=Organization.Kind.SCHOOL, activity__roadmap=roadmap)
        .values("organization_id")
        .annotate(n=Count("activity__checkpoints"))
        .filter(n__gte=COORDINATOR_CHECKPOINTS)
        .order_by("n")
    )
    row = rows.first()
    if row is None:
        raise SystemExit("bench: no school with ≥500 checkpoints in the 300-activity roadmap")
    return Organization.objects.get(pk=row["organization_id"]), row["n"]


def _user(username: str, organization, role: str):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership

    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    return user


# --- Measurements -------------------------------------------------------------------------------------


def _median_ms(client, url: str) -> float:
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def _gunicorn_rps(path: str, cookie: str) -> tuple[float, dict]:
    with gunicorn(workers=2) as (port, _):
        args = [str(port), path, cookie, str(LOAD_REQUESTS), str(LOAD_CONCURRENCY), str(LOAD_TIME_LIMIT)]
        warm = [str(port), path, cookie, "20", "2", "20"]
        subprocess.run([sys.executable, __file__, "--load-client", *warm], check=True, capture_output=True)
        completed = subprocess.run(
            [sys.executable, __file__, "--load-client", *args], check=True, capture_output=True, text=True
        )
        summary = json.loads(completed.stdout.strip().splitlines()[-1])
    return summary["ok"] / summary["elapsed"], summary


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "bench_pages: skipped — DATABASE_URL is not a PostgreSQL database "
            "(load one with `manage.py seed_demo --scale bench` and set DATABASE_URL)"
        )
        return 0
    for name, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", "No directory at")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    roadmap = _big_roadmap()
    staff = _user("bench_pages_staff", roadmap.owner, "staff")
    school, checkpoints = _coordinator_school(roadmap)
    coordinator = _user("bench_pages_coordinator", school, "coordinator")
    activities = roadmap.activities.count()

    staff_client = Client()
    staff_client.force_login(staff)
    detail_ms = _median_ms(staff_client, reverse("roadmaps:roadmap-detail", args=[roadmap.pk]))
    print(
        f"roadmap page, {activities} activities: median {detail_ms:.1f} ms "
        f"over {REQUESTS} requests (goal < 250 ms)"
    )

    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    my_url = reverse("roadmaps:my-checkpoints")
    my_ms = _median_ms(coordinator_client, my_url)
    print(
        f"«Мои мероприятия», {checkpoints} checkpoints: median {my_ms:.1f} ms "
        f"over {REQUESTS} requests (goal < 100 ms)"
    )

    rps, summary = _gunicorn_rps(my_url, coordinator_client.cookies["sessionid"].value)
    print(
        f"«Мои мероприятия» on gunicorn (2 workers, 127.0.0.1): {rps:.1f} requests/s "
        f"({summary['ok']}/{summary['done']} OK in {summary['elapsed']:.1f} s, "
        f"{LOAD_CONCURRENCY} concurrent clients)"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load-client":
        port, path, cookie, total, concurrency, limit = sys.argv[2:8]
        load_client(int(port), path, cookie, int(total), int(concurrency), float(limit))
        sys.exit(0)
    sys.exit(main())
