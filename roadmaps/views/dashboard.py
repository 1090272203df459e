"""Dashboards: per roadmap and across the user's scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roadmaps import selectors
from roadmaps.access import roadmap_get_for_user, roadmap_list_for_user
from roadmaps.forms import AsOfForm
from roadmaps.views._common import today


def scope_dashboard(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    current_day = today()
    dashboard = selectors.scope_dashboard(
        visible=roadmap_list_for_user(user=request.user), as_of=form.date(current_day), today=current_day
    )
    context = {"dashboard": dashboard, "as_of_form": form, "outcomes": selectors.OUTCOMES}
    return render(request, "roadmaps/dashboard.html", context)


def roadmap_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    form = AsOfForm(request.GET or None)
    dashboard = selectors.roadmap_dashboard(roadmap=roadmap, as_of=form.date(today()))
    context = {"dashboard": dashboard, "roadmap": roadmap, "as_of_form": form, "outcomes": selectors.OUTCOMES}
    return render(request, "roadmaps/dashboard.html", context)
