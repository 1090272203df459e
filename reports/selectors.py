"""Reads for the report screens; every select_related and permission filter lives here."""

from __future__ import annotations

from django.db.models import F, Q
from django.http import Http404

from reports.models import ReportRun, ReportSchedule
from reports.rules import may_request_reports, reporting_scope
from roadmaps.models import Roadmap

RECENT_RUNS = 20


def report_roadmap_list(*, user):
    """Roadmaps a user may build reports on (none for a coordinator-only user), with what the form shows."""
    if not may_request_reports(user):
        return Roadmap.objects.none()
    return (
        Roadmap.objects.visible_in(reporting_scope(user))
        .select_related("project", "owner__region")
        .only(
            "pk",
            "title",
            "status",
            "year_start",
            "year_end",
            "project__id",
            "project__name",
            "owner__id",
            "owner__region__id",
            "owner__region__code",
            "owner__region__name",
        )
        .order_by("title", "pk")
    )


def report_run_list_for_user(*, user, limit: int = RECENT_RUNS) -> list[ReportRun]:
    """The user's own recent runs."""
    return list(
        ReportRun.objects.requested_by_user(user)
        .select_related("roadmap", "project", "region")
        .order_by("-created_at", "-pk")[:limit]
    )


def _in_scope(user, roadmap_ids: list[int]) -> bool:
    if not roadmap_ids or not may_request_reports(user):
        return False
    visible = Roadmap.objects.visible_in(reporting_scope(user)).filter(pk__in=roadmap_ids).count()
    return visible == len(roadmap_ids)


def report_run_get_for_user(*, user, pk: int) -> ReportRun:
    """A run the user may see: every roadmap it covers is visible to them; 404 otherwise."""
    run = ReportRun.objects.select_related("roadmap", "project", "region").filter(pk=pk).first()
    if run is None or not _in_scope(user, run.roadmap_ids):
        raise Http404("Отчёт не найден.")
    return run


def report_schedule_list_for_user(*, user) -> list[ReportSchedule]:
    """Schedules over roadmaps the (staff) user may see."""
    if not reporting_scope(user).has_role("staff"):
        return []
    visible = Roadmap.objects.visible_in(reporting_scope(user)).values("pk")
    by_project = Q(
        roadmap__isnull=True, project__roadmaps__in=visible, project__roadmaps__owner__region=F("region")
    )
    return list(
        ReportSchedule.objects.filter(Q(roadmap_id__in=visible) | by_project)
        .distinct()
        .select_related("roadmap", "project", "region", "created_by")
        .order_by("kind", "pk")
    )


def report_schedule_get_for_user(*, user, pk: int) -> ReportSchedule:
    for schedule in report_schedule_list_for_user(user=user):
        if schedule.pk == pk:
            return schedule
    raise Http404("Расписание не найдено.")
