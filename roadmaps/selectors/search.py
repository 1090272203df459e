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

from organizations.models import Organization
from organizations.scope import Scope
from roadmaps.models import Activity, Checkpoint, Comment, Responsibility, Roadmap
from roadmaps.search_text import (
    ACTIVITY_COMMENT,
    ACTIVITY_RESPONSIBLE,
    ACTIVITY_RESULTS,
    ACTIVITY_TITLE,
    CHECKPOINT_RESULT,
    CHECKPOINT_RETURN,
    COMMENT_TEXT,
    CONFIG,
    ROADMAP_RESULTS,
    ROADMAP_TITLE,
    vector,
)

MIN_LENGTH = 2  # a one-letter query would match nearly every row
MAX_TERMS = 8  # words of a fallback query; the rest are ignored (each one is a LIKE per field)
OVERVIEW_ROWS = 10
CAP = 1000  # rows of a group a search shows, pages and exports
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


def _match(fields: Iterable[str], text: str):
    """The row's fields match the query: a boolean SQL expression (`… @@ query`, or LIKEs)."""
    if full_text():
        return SearchVectorExact(vector(tuple(fields)), _query(text))
    return _words_q(fields, text)


@dataclass(frozen=True)
class Own:
    """Text columns of the row itself (one GIN expression index per group on PostgreSQL)."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class Linked:
    """Rows of another table pointing at the row (`link`: their column holding the row's pk), matching
    by their `fields` — or already the matching ones when there are none."""

    rows: QuerySet
    link: str
    fields: tuple[str, ...] = ()

    def matching(self, text: str) -> QuerySet:
        return self.rows.filter(Q(_match(self.fields, text))) if self.fields else self.rows


Part = Own | Linked


def _organizations(text: str) -> QuerySet[Organization]:
    return Organization.objects.filter(Q(_match(("short_name", "full_name"), text))).values("pk")


def _flag(parts: list[Part], text: str) -> Case:
    conditions = [
        Q(_match(part.fields, text))
        if isinstance(part, Own)
        else Q(Exists(part.matching(text).filter(**{part.link: OuterRef("pk")})))
        for part in parts
    ]
    return Case(
        When(reduce(or_, conditions), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


@dataclass
class Matching:
    """The rows in scope that match (`found`, unordered), and the same model with its joins, each reason
    annotated as `m_<reason>` and best matches first (`shown`), for the rows a screen or a file shows."""

    found: QuerySet
    shown: QuerySet

    def ids(self) -> list[int]:
        """Up to CAP + 1 matching rows: one more than CAP says there are more (the page says «более»)."""
        return list(self.found.order_by().values_list("pk", flat=True)[: CAP + 1])

    def rows(self, ids: list[int]) -> QuerySet:
        return self.shown.filter(pk__in=ids[:CAP])


def _matching(
    queryset: QuerySet, reasons: dict[str, list[Part]], text: str, rank_fields: list[str], related: str
) -> Matching:
    """The filter is one `pk IN (… UNION …)`: the row's own columns in one subquery (on PostgreSQL a bitmap
    OR of the GIN indexes), each linked table in its own. Reasons and rank are worked out only for the rows
    shown: ranking every match of a common word across a national data set would take seconds."""
    parts = [part for group in reasons.values() for part in group]
    own = [Q(_match(part.fields, text)) for part in parts if isinstance(part, Own)]
    sets = [queryset.model.objects.filter(reduce(or_, own)).order_by().values("pk")]
    sets += [part.matching(text).order_by().values(part.link) for part in parts if isinstance(part, Linked)]
    found = queryset.filter(pk__in=sets[0].union(*sets[1:]))  # one hashed set: a semi-join
    flags = {f"m_{code}": _flag(group, text) for code, group in reasons.items()}
    shown = queryset.model.objects.select_related(related).annotate(**flags)
    if full_text():
        rank = SearchRank(SearchVector(*rank_fields, config=CONFIG), _query(text))
        shown = shown.annotate(rank=rank).order_by("-rank", "pk")
    else:
        shown = shown.order_by("pk")
    return Matching(found=found, shown=shown)


def matching_roadmaps(roadmaps: QuerySet[Roadmap], text: str) -> Matching:
    reasons = {
        "title": [Own(ROADMAP_TITLE)],
        "result": [Own(ROADMAP_RESULTS)],
        "organisation": [Linked(Roadmap.objects.filter(owner_id__in=_organizations(text)), "pk")],
    }
    return _matching(roadmaps, reasons, text, ["title", "goal"], "owner")


def matching_activities(activities: QuerySet[Activity], text: str, *, scope: Scope) -> Matching:
    responsible = Responsibility.objects.filter(organization_id__in=_organizations(text))
    # The thread of an activity is read only by staff who manage its roadmap (roadmaps.rules).
    staff_thread = Comment.objects.filter(activity__isnull=False).filter(
        scope.q("activity__roadmap__owner__path", "staff")
    )
    reasons = {
        "title": [Own(ACTIVITY_TITLE)],
        "result": [Own(ACTIVITY_RESULTS)],
        "organisation": [Own(ACTIVITY_RESPONSIBLE), Linked(responsible, "activity_id")],
        "comment": [Own(ACTIVITY_COMMENT), Linked(staff_thread, "activity_id", COMMENT_TEXT)],
    }
    return _matching(activities, reasons, text, ["title", "planned_result"], "roadmap")


def matching_checkpoints(checkpoints: QuerySet[Checkpoint], text: str) -> Matching:
    thread = Comment.objects.filter(checkpoint__isnull=False)
    reasons = {
        "result": [Own(CHECKPOINT_RESULT)],
        "comment": [Own(CHECKPOINT_RETURN), Linked(thread, "checkpoint_id", COMMENT_TEXT)],
    }
    return _matching(checkpoints, reasons, text, ["result"], "activity__roadmap")


def reasons_of(row) -> list[str]:
    return [label for code, label in REASON_LABELS.items() if getattr(row, f"m_{code}", False)]


# --- The screen ---------------------------------------------------------------------------------------


@dataclass
class SearchGroup:
    code: str
    title: str
    count: int  # at most CAP
    items: list
    page: Page | None = None
    more_than_cap: bool = False

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


def search_matchings(*, scope: Scope, roadmaps: QuerySet[Roadmap], text: str) -> dict[str, Matching]:
    """The three result sets over the given visible (and filtered) roadmaps."""
    return {
        "roadmaps": matching_roadmaps(roadmaps, text),
        "activities": matching_activities(Activity.objects.filter(roadmap__in=roadmaps), text, scope=scope),
        "checkpoints": matching_checkpoints(Checkpoint.objects.filter(activity__roadmap__in=roadmaps), text),
    }


def search_rows(*, scope: Scope, roadmaps: QuerySet[Roadmap], text: str) -> dict[str, QuerySet]:
    """Every row a search shows (up to CAP a group), best first, for the Excel file. Queries: each group's
    matching ids here; its rows when read."""
    return {
        code: matching.rows(matching.ids())
        for code, matching in search_matchings(scope=scope, roadmaps=roadmaps, text=text).items()
    }


class _Counted:
    """A ranked queryset whose size is already known, for the Paginator (no second count)."""

    def __init__(self, rows: QuerySet, count: int) -> None:
        self.rows, self._count = rows, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.rows[index]


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
    """Found rows grouped as roadmaps, activities, checkpoints, up to CAP of each.

    Queries: for each group shown, its matching ids (up to CAP + 1) and, when there are any, the rows
    shown with their roadmap, reasons and rank — six at most for the overview (each group's first rows),
    two for one group's page. A query too short to mean anything runs none.
    """
    if not is_searchable(text):
        return SearchResults(query=text, searchable=False)
    groups = []
    for code, matching in search_matchings(scope=scope, roadmaps=roadmaps, text=text).items():
        if only and code != only:
            continue
        ids = matching.ids()
        count, more = min(len(ids), CAP), len(ids) > CAP
        found = None
        if only:
            found = Paginator(_Counted(matching.rows(ids), count), PAGE_ROWS).get_page(page)
            items = list(found.object_list)
        else:
            items = list(matching.rows(ids)[:OVERVIEW_ROWS]) if ids else []
        groups.append(SearchGroup(code, GROUP_TITLES[code], count, _attach_reasons(items), found, more))
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
    "search_matchings",
    "search_rows",
]
