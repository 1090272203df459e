"""Putting the cells of a row that lost columns back under the right headers.

Some forms drop columns part-way through (the federal coordinator's form loses the region columns
after the first rows, and sometimes the place/format column). Such a row is aligned to the header's
fields in order, each cell going to a field it fits: a monotonic alignment (dynamic programming)
that maximises how well every cell's shape (a date wording, a link, an organisation, «(выполнено)»…)
suits its field. Skipping a field inside the row costs a little; trailing fields are free.
"""

from __future__ import annotations

from .textutil import cell_class

_NO = -9.0
# field → cell class → score; classes: empty, number, url, date, docref, done, org, text
SCORES: dict[str, dict[str, float]] = {
    "number": {"number": 5, "empty": 0},
    "title": {"text": 2, "org": 1, "docref": 1, "done": 0, "number": -3, "date": -5, "empty": -1},
    "goal": {"text": 1.05, "org": 0.5, "docref": 0.5, "done": 0, "date": -5, "empty": 0},
    "place": {"text": 1, "org": 1, "docref": 1, "done": 0, "date": -5, "empty": 0},
    "deadline": {"date": 5.5, "number": -1, "empty": 0, "text": -3, "org": -3, "docref": -3, "done": -3},
    "actual": {"date": 5, "number": -1, "empty": 0, "text": -2, "org": -2, "docref": -2, "done": -3},
    "result": {"text": 2, "done": 4, "docref": 2, "org": 0, "date": -4, "empty": 0},
    "result_document": {"docref": 3, "text": 1, "url": 1, "org": 0, "date": -3, "empty": 0},
    "responsible": {"org": 3, "text": 1, "docref": 0, "done": -2, "date": -5, "empty": 0},
    "audience": {"text": 1, "org": 0.5, "docref": 0, "done": -1, "date": -5, "empty": 0},
    "link": {"url": 5, "docref": 1, "text": 0, "org": 0, "done": -2, "date": -5, "empty": 0},
    "comment": {"text": 1, "url": 0, "docref": 0.5, "org": 0.5, "date": 0, "done": 0, "empty": 0},
    "indicators": {"text": 0.5, "empty": 0},
}
_DEFAULT = {"text": 0.5, "org": 0.5, "docref": 0.5, "empty": 0}
SKIP = 1.0


def score(field: str | None, cls: str) -> float:
    table = SCORES.get(field or "", _DEFAULT)
    return table.get(cls, _NO)


def align(cells: list[str], fields: list[str | None]) -> list[int]:
    """Index into ``fields`` for every cell (trailing empty cells are dropped first and get -1)."""
    used = len(cells)
    while used and not cells[used - 1].strip():
        used -= 1
    if used > len(fields):
        return list(range(len(cells)))
    classes = [cell_class(c) for c in cells[:used]]
    n, m = used, len(fields)
    neg = float("-inf")
    # best[i][j]: best score with the first i cells placed among the first j fields
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    took = [[False] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(1, m + 1):
        best[0][j] = best[0][j - 1] - SKIP
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1] - SKIP if j - 1 >= i else neg
            place = best[i - 1][j - 1] + score(fields[j - 1], classes[i - 1])
            if place >= skip:
                best[i][j], took[i][j] = place, True
            else:
                best[i][j] = skip
    end = max(range(n, m + 1), key=lambda j: (best[n][j], -j))
    placed = [-1] * len(cells)
    i, j = n, end
    while i > 0:
        if took[i][j]:
            placed[i - 1] = j - 1
            i -= 1
        j -= 1
    return placed
