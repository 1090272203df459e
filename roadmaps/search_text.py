"""What the search reads: its text configuration and the column groups it matches, one place for the
selector (roadmaps/selectors/search.py) and the GIN expression indexes of the models, which PostgreSQL
uses only when the indexed expression is exactly the one searched."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector

CONFIG = "russian"

ROADMAP_TITLE = ("title",)
ROADMAP_RESULTS = ("goal", "tasks", "expected_results")
ACTIVITY_TITLE = ("title",)
ACTIVITY_RESULTS = ("planned_result", "result_document", "goal_and_tasks")
ACTIVITY_RESPONSIBLE = ("responsible_text",)
ACTIVITY_COMMENT = ("comment",)
CHECKPOINT_RESULT = ("result",)
CHECKPOINT_RETURN = ("return_reason",)
COMMENT_TEXT = ("text",)


def vector(fields: tuple[str, ...]) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


def search_index(name: str, fields: tuple[str, ...]) -> GinIndex:
    """A GIN index on the searched expression (created on PostgreSQL only: migration 0018)."""
    return GinIndex(vector(fields), name=name)
