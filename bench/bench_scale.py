"""The scope-wide pages on the `bench` and the `national` data sets, side by side (issue 12).

Each data set is measured in its own process (`--measure DATABASE_URL`), in-process through Django's test
client with production-like settings: median and p95 server time over a few requests and the number of
queries, per page and persona. The parent prints one line per page with the bench/national ratio.

The national data set is made by `bench/national.py` (reused while the generator is unchanged). Pages a
persona cannot have on a data set (the bench set has no federal analyst) print «—».
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
NATIONAL_URL = "postgres://postgres@127.0.0.1:5432/roadmap_national"

# (label, persona, url name or callable key) — personas are resolved per data set below.
PAGES = [
    ("roadmap list", "federal_analyst", "list"),
    ("roadmap list", "regional_staff", "list"),
    ("scope dashboard", "regional_staff", "dashboard"),
    ("scope dashboard", "federal_analyst", "dashboard"),
    ("reports index", "federal_analyst", "reports"),
    ("reports index", "regional_staff", "reports"),
    ("«Мои мероприятия»", "regional_coordinator", "my"),
    ("«Мои мероприятия»", "school_coordinator", "my"),
    ("roadmap page", "regional_staff", "roadmap"),
    ("verification queue", "regional_staff", "verification"),
    ("review list", "regional_staff", "review"),
    ("timeline", "regional_staff", "timeline"),
]
PERSONAS = {
    "bench": {
        "regional_staff": "bench_staff",
        "regional_coordinator": "bench_coordinator",
        "school_coordinator": "bench_coordinator",
    },
    "national": {
        "federal_analyst": "national_federal_analyst",
        "regional_staff": "national_regional_staff",
        "regional_coordinator": "national_regional_coordinator",
        "school_coordinator": "national_school_coordinator",
    },
}


def _measure(data_set: str) -> dict:
    """Runs inside the child process: every page for every persona the data set has."""
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 32,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from roadmaps.models import Roadmap

    users = {
        persona: get_user_model().objects.filter(username=name).first()
        for persona, name in PERSONAS[data_set].items()
    }
    staff = users.get("regional_staff")
    biggest = (
        Roadmap.objects.filter(owner__memberships__user=staff, status="approved")
        .order_by("-pk")
        .first()
        if staff
        else None
    )
    urls = {
        "list": reverse("roadmaps:roadmap-list"),
        "dashboard": reverse("roadmaps:dashboard"),
        "reports": reverse("reports:index"),
        "my": reverse("roadmaps:my-checkpoints"),
        "verification": reverse("roadmaps:verification-queue"),
        "review": reverse("roadmaps:review-list"),
    }
    if biggest:
        urls["roadmap"] = reverse("roadmaps:roadmap-detail", args=[biggest.pk])
        urls["timeline"] = reverse("roadmaps:roadmap-timeline", args=[biggest.pk])
    results = {}
    for label, persona, key in PAGES:
        user, url = users.get(persona), urls.get(key)
        if user is None or url is None:
            continue
        client = Client()
        client.force_login(user)
        times, statuses = [], set()
        for n in range(WARM_UP + REQUESTS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            if n >= WARM_UP:
                times.append(elapsed)
        results[f"{label} | {persona}"] = {
            "median": statistics.median(times),
            "p95": sorted(times)[max(0, int(len(times) * 0.95) - 1)],
            "queries": len(queries.captured_queries),
            "statuses": sorted(statuses),
        }
    return results


def _child(data_set: str, url: str) -> dict | None:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--measure", data_set]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print(f"scale: {data_set} measurement failed: {completed.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _cell(result: dict | None) -> str:
    if not result:
        return "—"
    status = "" if result["statuses"] == [200] else f" HTTP {result['statuses']}"
    return f"{result['median']:.0f} ms (p95 {result['p95']:.0f}), {result['queries']} q{status}"


def main() -> int:
    bench_url = os.environ.get("DATABASE_URL", "")
    if not bench_url.startswith("postgres"):
        print("scale: skipped — the data sets are PostgreSQL databases (set DATABASE_URL)")
        return 0
    from national import ensure_national_database

    ensure_national_database()
    bench = _child("bench", bench_url) or {}
    national = _child("national", NATIONAL_URL) or {}
    for label, persona, _key in PAGES:
        key = f"{label} | {persona}"
        small, large = bench.get(key), national.get(key)
        ratio = f"{large['median'] / small['median']:.1f}x" if small and large else "—"
        print(f"scale: {label}, {persona}: bench {_cell(small)}; national {_cell(large)}; ratio {ratio}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(_measure(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
