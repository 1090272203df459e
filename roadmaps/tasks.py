"""Celery tasks: they take ids, re-read, call one service and own their retries."""

from __future__ import annotations

from celery import shared_task

from roadmaps import services


# No retries of its own: the beat runs it again in five minutes, and it picks up whatever is still stale.
@shared_task(name="roadmaps.tasks.refresh_outcome_snapshots")
def refresh_outcome_snapshots(roadmap_ids: list[int] | None = None) -> int:
    return services.outcome_snapshots_refresh(roadmap_ids=roadmap_ids)
