"""`make run` loads the small demo with `seed_demo`: it must load on a fresh database, once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from roadmaps.demo.small import DEMO_PASSWORD, DEMO_USERS
from roadmaps.models import Checkpoint, Roadmap

pytestmark = pytest.mark.django_db


def test_the_demo_loads_an_approved_roadmap_with_reports_and_people_who_can_sign_in():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert "Демо-данные загружены." in out.getvalue()
    roadmap = Roadmap.objects.get(status=Roadmap.Status.APPROVED)
    assert roadmap.activities.exists() and roadmap.approved_by_act is not None
    assert Checkpoint.objects.filter(status=Checkpoint.Status.REPORTED).exists()
    for username in DEMO_USERS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username


def test_loading_the_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    counts = Roadmap.objects.count(), Checkpoint.objects.count()
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert "Демо-данные уже загружены." in out.getvalue()
    assert (Roadmap.objects.count(), Checkpoint.objects.count()) == counts
