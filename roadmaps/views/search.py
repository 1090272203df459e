"""«Поиск» (`/search/?q=…`) and the Excel exports of the lists: search results, «Мои мероприятия»,
«Требует проверки», the roadmap list — each the same rows as its page, with its filters, every page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roadmaps import list_exports, selectors
from roadmaps.access import roadmap_list_for_user
from roadmaps.forms import RoadmapFilter
from roadmaps.selectors import search as found
from roadmaps.views._common import (
    ignored_filters_message,
    page_number,
    querystring_without_page,
    scope_of,
    today,
)

# Parameters of the search page that are not the roadmap list's filters.
_OWN_PARAMS = ("q", "group", "page")


def _roadmap_filter(request: HttpRequest, *, without: tuple[str, ...] = ()) -> RoadmapFilter:
    """The roadmap list's filters over the roadmaps the user sees, as the list applies them."""
    data = request.GET.copy()
    for name in without:
        data.pop(name, None)
    visible = selectors.roadmap_list(visible=roadmap_list_for_user(user=request.user))
    filterset = RoadmapFilter(data or None, queryset=visible)
    if filterset.is_bound:
        ignored_filters_message(request, filterset.form)
    return filterset


def _filter_params(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in ("group", "page"):
        params.pop(name, None)
    return params.urlencode()


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = found.clean_query(request.GET.get("q"))
    only = request.GET.get("group")
    if only not in found.GROUP_TITLES:
        only = None
    filterset = _roadmap_filter(request, without=_OWN_PARAMS)
    results = found.search(
        scope=scope_of(request),
        roadmaps=filterset.qs,
        text=text,
        only=only,
        page=page_number(request) if only else None,
    )
    context = {
        "results": results,
        "filter": filterset,
        "only": only,
        "min_length": found.MIN_LENGTH,
        "base_querystring": _filter_params(request),
        "querystring": querystring_without_page(request),
    }
    return render(request, "roadmaps/search.html", context)


@require_GET
def search_export(request: HttpRequest) -> FileResponse:
    text = found.clean_query(request.GET.get("q"))
    filterset = _roadmap_filter(request, without=_OWN_PARAMS)
    querysets = None  # a query too short to search gives the empty table, as the page gives a hint
    if found.is_searchable(text):
        querysets = found.search_rows(scope=scope_of(request), roadmaps=filterset.qs, text=text)
    return list_exports.xlsx_response(
        name="Поиск",
        caption=f"Поиск «{text}» на {today():%d.%m.%Y}",
        sheets=list_exports.search_sheets(querysets=querysets),
        day=today(),
    )


@require_GET
def roadmap_list_export(request: HttpRequest) -> FileResponse:
    filterset = _roadmap_filter(request, without=("page",))
    return list_exports.xlsx_response(
        name="Дорожные карты",
        caption=f"Дорожные карты на {today():%d.%m.%Y}",
        sheets=[list_exports.roadmap_list_sheet(roadmaps=filterset.qs)],
        day=today(),
    )


@require_GET
def my_checkpoints_export(request: HttpRequest) -> FileResponse:
    if not request.user.has_perm("roadmaps.use_my_checkpoints"):
        raise PermissionDenied
    only = request.GET.get("group")
    if only not in selectors.GROUP_TITLES:
        only = None
    return list_exports.xlsx_response(
        name="Мои мероприятия",
        caption=f"Мои мероприятия на {today():%d.%m.%Y}",
        sheets=[list_exports.my_checkpoints_sheet(scope=scope_of(request), today=today(), only=only)],
        day=today(),
    )


@require_GET
def review_export(request: HttpRequest) -> FileResponse:
    if not request.user.has_perm("roadmaps.use_review_list"):
        raise PermissionDenied
    raw = request.GET.get("roadmap", "")
    roadmap_id = (
        int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    )  # as the page reads it
    return list_exports.xlsx_response(
        name="Требует проверки",
        caption=f"Требует проверки на {today():%d.%m.%Y}",
        sheets=list_exports.review_sheets(scope=scope_of(request), roadmap_id=roadmap_id),
        day=today(),
    )
