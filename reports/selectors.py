"""Reads for the report screens; every select_related and permission filter lives here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q
from django.http import Http404

from reports.models import ReportRun, ReportSchedule
from reports.rules import may_request_reports, reporting_scope
from roadmaps.models import Roadmap

RECENT_RUNS = 20


SCOPE_CHOICE_LIMIT = 50


def _reportable(user):
    if not may_request_reports(user):
        return Roadmap.objects.none()
    return Roadmap.objects.visible_in(reporting_scope(user))


@dataclass
class ScopeOptions:
    """What the report and schedule forms offer: matching roadmaps (at most SCOPE_CHOICE_LIMIT, found by
    search, the chosen one always among them) and every project-in-region group in the user's scope."""

    roadmaps: list[Roadmap]
    groups: list[tuple[int, str, int, str]]  # project id and name, region id and name
    more: bool

    @property
    def any(self) -> bool:
        return bool(self.roadmaps or self.groups)


def report_scope_options(*, user, search: str = "", chosen: str = "") -> ScopeOptions:
    """Queries: matching roadmaps (one more than shown, to tell there are more); the chosen one when it is
    not among them; project-in-region groups. A federal analyst's thousands of roadmaps are never listed
    whole: they are found by title or owner."""
    visible = _reportable(user)
    found = visible.select_related("owner").only("pk", "title", "year_start", "year_end", "owner__short_name")
    if search.strip():
        term = search.strip()
        found = found.filter(Q(title__icontains=term) | Q(owner__short_name__icontains=term))
    roadmaps = list(found.order_by("title", "pk")[: SCOPE_CHOICE_LIMIT + 1])
    more = len(roadmaps) > SCOPE_CHOICE_LIMIT
    roadmaps = roadmaps[:SCOPE_CHOICE_LIMIT]
    kind, _sep, pk = chosen.partition(":")
    if kind == "roadmap" and pk.isdigit() and all(r.pk != int(pk) for r in roadmaps):
        roadmaps += list(visible.select_related("owner").filter(pk=int(pk)))
    groups = list(
        visible.not_draft()
        .filter(project__isnull=False, owner__region__isnull=False)
        .values_list("project_id", "project__name", "owner__region_id", "owner__region__name")
        .distinct()
        .order_by("project__name", "owner__region__name")
    )
    return ScopeOptions(roadmaps=roadmaps, groups=groups, more=more)


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
