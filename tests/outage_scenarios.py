"""Requests made in a fresh process whose settings point at an outage: `python -m tests.outage_scenarios
NAME` with DATABASE_URL / CELERY_BROKER_URL in the environment. Each prints one JSON line for the caller.

A fresh process, because the broker and database settings are read once, when the portal starts, exactly
as in production; the requests go through Django's test client and the whole middleware stack.
"""

from __future__ import annotations

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.test import Client  # noqa: E402


def _timed(client: Client, method: str, path: str, data: dict | None = None) -> dict:
    started = time.monotonic()
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 2),
        "location": response.get("Location", ""),
        "body": response.content.decode(errors="replace"),
    }


def request_report() -> dict:
    """An analyst asks for a report while the broker is away (a migrated SQLite database is needed)."""
    from organizations.models import Membership
    from reports.models import ReportRun
    from tests import factories

    owner = factories.OrganizationFactory(region=factories.RegionFactory())
    analyst = factories.UserFactory(username="analyst")
    Membership.objects.create(user=analyst, organization=owner, role=Membership.Role.ANALYST)
    roadmap = factories.RoadmapFactory(owner=owner)
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    form = {"scope": f"roadmap:{roadmap.pk}", "kind": "fioko_form", "format": "xlsx", "as_of": "01.04.2025"}
    answer = _timed(client, "post", "/reports/", form)
    runs = [{"status": run.status, "error": run.error} for run in ReportRun.objects.all()]
    page = client.get(answer["location"]).content.decode() if answer["location"] else ""
    return {"request": {**answer, "body": ""}, "runs": runs, "page": page}


def database_pages() -> dict:
    """/healthz as a load balancer asks (no cookie), and as a browser does, and a page behind the login:
    with a session cookie the database must be asked before any view runs."""
    anonymous, browser = Client(raise_request_exception=False), Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "s" * 32
    return {
        "healthz": _timed(anonymous, "get", "/healthz"),
        "healthz with a session": _timed(browser, "get", "/healthz"),
        "page with a session": _timed(browser, "get", "/roadmaps/"),
    }


if __name__ == "__main__":
    print(json.dumps({"request_report": request_report, "database_pages": database_pages}[sys.argv[1]]()))
