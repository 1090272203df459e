"""Dashboards render charts, not only tables (the timeline: test_views_timeline.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from roadmaps import services
from tests import factories


def test_roadmap_dashboard_draws_outcome_and_indicator_charts(client, world):
    indicator = factories.IndicatorFactory(roadmap=world.roadmap, name="Доля охваченных детей")
    factories.IndicatorTargetFactory(indicator=indicator, year=2025, value=75)
    factories.IndicatorValueFactory(indicator=indicator, year=2025, organization=world.school, value="60.5")
    client.force_login(world.observer)
    body = client.get(reverse("roadmaps:roadmap-dashboard", args=[world.roadmap.pk])).content.decode()
    assert body.count("<svg") >= 3
    assert "Доля охваченных детей" in body
    assert 'class="actual"' in body and 'class="target"' in body
    assert world.school.short_name in body


def test_dashboard_reflects_a_verified_checkpoint(client, world):
    client.force_login(world.staff)
    url = reverse("roadmaps:roadmap-dashboard", args=[world.roadmap.pk])
    assert client.get(url).context["dashboard"].totals["on_time"] == 0
    services.checkpoint_report(
        actor=world.coordinator,
        checkpoint=world.checkpoint,
        actual_date=datetime.date(2025, 3, 20),
        result="Да",
    )
    services.checkpoint_accept(actor=world.staff, checkpoint=world.checkpoint)
    assert client.get(url).context["dashboard"].totals["on_time"] == 1


def test_scope_dashboard_groups_by_roadmap_and_leaves_out_foreign_ones(client, world):
    services.outcome_snapshots_refresh()  # as of today the page reads the counts the beat keeps fresh
    client.force_login(world.analyst)
    response = client.get(reverse("roadmaps:dashboard"))
    labels = [row["label"] for row in response.context["dashboard"].by_group]
    assert labels == [world.roadmap.title]

