"""The REST API on the `bench` and the `national` data sets, side by side (issue 20).

Two figures, each data set measured in its own process (`--measure DATA_SET`) through Django's test client
with production-like settings and a personal API token (`Authorization: Bearer`), as an integrator calls:

- a full roadmap read: `/api/v1/roadmaps/<pk>/` of the data set's largest roadmap (sections and every
  activity with its responsibilities), median of a few requests and its queries;
- an incremental sync: `/api/v1/checkpoints/?updated_since=…&page_size=1000` walked by its cursor for
  10,000 rows, the time of the whole walk, the median page and the queries per page.

The token belongs to a staff member of the roadmap's owner, made here (bench rows, left in the data set).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
WARM_UP, REQUESTS = 2, 7
SYNC_ROWS, SYNC_PAGE = 10_000, 1000
NATIONAL_URL = "postgres://postgres@127.0.0.1:5432/roadmap_national"


def _token_for_staff_of(organization) -> str:
    from django.contrib.auth import get_user_model

    from api.services import api_token_create
    from organizations.models import Membership

    user, _ = get_user_model().objects.get_or_create(username="bench_api_staff")
    Membership.objects.get_or_create(user=user, organization=organization, role=Membership.Role.STAFF)
    return api_token_create(actor=user, name="замер", read_only=True).secret


def _measure() -> dict:
    """Runs inside the child process."""
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 32,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "ERROR",
            "API_RATE_PER_TOKEN": "1000000/hour",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roadmaps.models import Checkpoint, Roadmap

    roadmap = (
        Roadmap.objects.annotate(n=Count("activities")).order_by("-n", "pk").select_related("owner").first()
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token_for_staff_of(roadmap.owner)}")
    url = f"/api/v1/roadmaps/{roadmap.pk}/"
    times = []
    for n in range(WARM_UP + REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        if n >= WARM_UP:
            times.append(elapsed)
    read = {
        "activities": roadmap.n,
        "checkpoints": Checkpoint.objects.filter(activity__roadmap=roadmap).count(),
        "median": statistics.median(times),
        "queries": len(queries.captured_queries),
    }

    next_url = f"/api/v1/checkpoints/?updated_since=2000-01-01T00:00:00Z&page_size={SYNC_PAGE}"
    rows, pages, page_queries = 0, [], set()
    started = time.perf_counter()
    while next_url and rows < SYNC_ROWS:
        with CaptureQueriesContext(connection) as queries:
            page_started = time.perf_counter()
            response = client.get(next_url)
            pages.append((time.perf_counter() - page_started) * 1000)
        assert response.status_code == 200, (next_url, response.status_code, response.content[:300])
        body = response.json()
        rows += len(body["results"])
        page_queries.add(len(queries.captured_queries))
        next_url = body.get("next")
    sync = {
        "rows": rows,
        "pages": len(pages),
        "total": time.perf_counter() - started,
        "page_median": statistics.median(pages) if pages else 0.0,
        "queries": sorted(page_queries),
    }
    return {"read": read, "sync": sync}


def _child(data_set: str, url: str) -> dict | None:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--measure", data_set]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print(f"api: {data_set} measurement failed: {completed.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _read(result: dict | None) -> str:
    if not result:
        return "—"
    read = result["read"]
    return (
        f"{read['median']:.0f} ms, {read['queries']} q "
        f"({read['activities']} activities, {read['checkpoints']} checkpoints)"
    )


def _sync(result: dict | None) -> str:
    if not result:
        return "—"
    sync = result["sync"]
    per_page = "/".join(str(q) for q in sync["queries"])
    return (
        f"{sync['rows']} rows in {sync['total']:.2f} s, {sync['pages']} pages, "
        f"median page {sync['page_median']:.0f} ms, {per_page} q per page"
    )


def main() -> int:
    bench_url = os.environ.get("DATABASE_URL", "")
    if not bench_url.startswith("postgres"):
        print("api: skipped — the data sets are PostgreSQL databases (set DATABASE_URL)")
        return 0
    from national import ensure_national_database

    ensure_national_database()
    bench, national = _child("bench", bench_url), _child("national", NATIONAL_URL)
    print(f"api: full roadmap read: bench {_read(bench)}; national {_read(national)}")
    print(f"api: checkpoint sync by cursor: bench {_sync(bench)}; national {_sync(national)}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(_measure()))
        sys.exit(0)
    sys.exit(main())
