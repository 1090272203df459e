"""«Поиск»: roadmaps, activities and checkpoints found by words, cut to what the user may see.

On PostgreSQL words are matched by full-text search with the Russian configuration, so a word finds its
other forms («консультации» finds «консультация»); on SQLite (the one-command local run) every word must
appear as typed, in any letter case SQLite can fold. Each row says where it matched: in the title, the
results, the responsible (or owner) organisation or the comments. An activity's own thread is the
department's: its comments count only for staff who manage the roadmap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorExact
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from organizations.scope import Scope
from roadmaps.models import Activity, Checkpoint, Comment, Responsibility, Roadmap

CONFIG = "russian"
MIN_LENGTH = 2  # a one-letter query would match nearly every row
MAX_TERMS = 8  # words of a fallback query; the rest are ignored (each one is a LIKE per field)
OVERVIEW_ROWS = 10
PAGE_ROWS = 25

REASON_LABELS = {
    "title": "в названии",
    "result": "в результатах",
    "organisation": "в организации",
    "comment": "в комментариях",
}
GROUP_TITLES = {"roadmaps": "Дорожные карты", "activities": "Мероприятия", "checkpoints": "Контрольные точки"}


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:200]


def is_searchable(text: str) -> bool:
    return len(text.replace(" ", "")) >= MIN_LENGTH


def full_text() -> bool:
    return connection.vendor == "postgresql"


# --- Conditions: one per reason, as a boolean SQL expression ----------------------------------------


def _variants(term: str) -> set[str]:
    # SQLite's LIKE folds ASCII letters only: «Консультация» is found by «консультация» through a variant.
    return {term, term.lower(), term.capitalize(), term.upper()}


def _words_q(fields: Iterable[str], text: str) -> Q:
    """Fallback: every word of the query appears in one of the fields."""
    fields = list(fields)
    terms = text.split()[:MAX_TERMS]
    return reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{name}__icontains": v}) for name in fields for v in _variants(term)))
            for term in terms
        ),
    )


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def _fields_match(fields: list[str], text: str):
    """The fields (of the row, or through a join) match the query."""
    if full_text():
        return SearchVectorExact(SearchVector(*fields, config=CONFIG), _query(text))
    return _words_q(fields, text)


def _rows_match(rows: QuerySet, fields: list[str], text: str) -> Exists:
    """Some related row (a comment, a responsibility) matches: a correlated EXISTS."""
    if full_text():
        return Exists(rows.alias(_v=SearchVector(*fields, config=CONFIG)).filter(_v=_query(text)))
    return Exists(rows.filter(_words_q(fields, text)))


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _matching(queryset: QuerySet, reasons: dict[str, list], text: str, rank_fields: list[str]) -> QuerySet:
    """Rows matching any reason, each reason annotated as `m_<reason>`, best matches first."""
    flags = {
        f"m_{code}": _flag(reduce(or_, (Q(c) for c in conditions))) for code, conditions in reasons.items()
    }
    matched = queryset.annotate(**flags).filter(reduce(or_, (Q(**{name: True}) for name in flags)))
    if full_text():
        rank = SearchRank(SearchVector(*rank_fields, config=CONFIG), _query(text))
        return matched.annotate(rank=rank).order_by("-rank", "pk")
    return matched.order_by("pk")


def matching_roadmaps(roadmaps: QuerySet[Roadmap], text: str) -> QuerySet[Roadmap]:
    reasons = {
        "title": [_fields_match(["title"], text)],
        "result": [_fields_match(["goal", "tasks", "expected_results"], text)],
        "organisation": [_fields_match(["owner__short_name", "owner__full_name"], text)],
    }
    return _matching(roadmaps.select_related("owner"), reasons, text, ["title", "goal"])


def matching_activities(activities: QuerySet[Activity], text: str, *, scope: Scope) -> QuerySet[Activity]:
    responsibilities = Responsibility.objects.filter(activity_id=OuterRef("pk"))
    # The thread of an activity is read only by staff who manage its roadmap (roadmaps.rules).
    staff_thread = Comment.objects.filter(activity_id=OuterRef("pk")).filter(
        scope.q("activity__roadmap__owner__path", "staff")
    )
    reasons = {
        "title": [_fields_match(["title"], text)],
        "result": [_fields_match(["planned_result", "result_document", "goal_and_tasks"], text)],
        "organisation": [
            _fields_match(["responsible_text"], text),
            _rows_match(responsibilities, ["organization__short_name", "organization__full_name"], text),
        ],
        "comment": [_fields_match(["comment"], text), _rows_match(staff_thread, ["text"], text)],
    }
    return _matching(activities.select_related("roadmap"), reasons, text, ["title", "planned_result"])


def matching_checkpoints(checkpoints: QuerySet[Checkpoint], text: str) -> QuerySet[Checkpoint]:
    thread = Comment.objects.filter(checkpoint_id=OuterRef("pk"))
    reasons = {
        "result": [_fields_match(["result"], text)],
        "comment": [_fields_match(["return_reason"], text), _rows_match(thread, ["text"], text)],
    }
    return _matching(checkpoints.select_related("activity__roadmap"), reasons, text, ["result"])


def reasons_of(row) -> list[str]:
    return [label for code, label in REASON_LABELS.items() if getattr(row, f"m_{code}", False)]


# --- The screen ---------------------------------------------------------------------------------------


@dataclass
class SearchGroup:
    code: str
    title: str
    count: int
    items: list
    page: Page | None = None

    @property
    def has_more(self) -> bool:
        return self.page is None and self.count > len(self.items)


@dataclass
class SearchResults:
    query: str
    searchable: bool
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def search_querysets(*, scope: Scope, roadmaps: QuerySet[Roadmap], text: str) -> dict[str, QuerySet]:
    """The three result sets over the given visible (and filtered) roadmaps, best first."""
    return {
        "roadmaps": matching_roadmaps(roadmaps, text),
        "activities": matching_activities(Activity.objects.filter(roadmap__in=roadmaps), text, scope=scope),
        "checkpoints": matching_checkpoints(Checkpoint.objects.filter(activity__roadmap__in=roadmaps), text),
    }


def _attach_reasons(items: list) -> list:
    for item in items:
        item.reasons = reasons_of(item)
    return items


def search(
    *,
    scope: Scope,
    roadmaps: QuerySet[Roadmap],
    text: str,
    only: str | None = None,
    page: str | int | None = None,
) -> SearchResults:
    """Found rows grouped as roadmaps, activities, checkpoints.

    Queries: for each group shown, its size and its rows (rows carry their roadmap, reasons are
    annotations) — six for the overview (each group's first rows), two for one group's page. A query
    too short to mean anything runs none.
    """
    if not is_searchable(text):
        return SearchResults(query=text, searchable=False)
    querysets = search_querysets(scope=scope, roadmaps=roadmaps, text=text)
    groups = []
    for code, queryset in querysets.items():
        if only and code != only:
            continue
        if only:
            found = Paginator(queryset, PAGE_ROWS).get_page(page)
            groups.append(
                SearchGroup(
                    code, GROUP_TITLES[code], found.paginator.count, _attach_reasons(list(found)), found
                )
            )
        else:
            count = queryset.count()
            items = _attach_reasons(list(queryset[:OVERVIEW_ROWS])) if count else []
            groups.append(SearchGroup(code, GROUP_TITLES[code], count, items))
    return SearchResults(query=text, searchable=True, groups=groups)


__all__ = [
    "GROUP_TITLES",
    "REASON_LABELS",
    "SearchGroup",
    "SearchResults",
    "clean_query",
    "is_searchable",
    "matching_activities",
    "matching_checkpoints",
    "matching_roadmaps",
    "reasons_of",
    "search",
    "search_querysets",
]
