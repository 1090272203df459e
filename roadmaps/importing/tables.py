"""Choosing the roadmap among a document's tables (Word tables, Excel sheets, text blocks): an approval
sheet («Лист согласования», «УТВЕРЖДАЮ»), a signatures table or a sheet of instructions sits beside
it. Every candidate is scored by its recognised header and by how many rows below the header look
like activities; the best one is the roadmap."""

from __future__ import annotations

from . import columns
from .textutil import ROW_NUMBER, is_date_like

_HEADER_ROWS_LOOKED_AT = 15


def table_score(rows: list[list[str]]) -> float:
    """0 for a table with no recognisable header; otherwise the header's score plus a little for
    every row that has a row number or a date (up to 40 rows)."""
    header_at = next(
        (i for i, cells in enumerate(rows[:_HEADER_ROWS_LOOKED_AT]) if columns.looks_like_header(cells)), None
    )
    if header_at is None:
        return 0.0
    shaped = 0
    for cells in rows[header_at + 1 :]:
        filled = [c.strip() for c in cells if c.strip()]
        if filled and (ROW_NUMBER.match(filled[0]) or any(is_date_like(c) for c in filled)):
            shaped += 1
        if shaped >= 40:
            break
    return columns.header_score(rows[header_at]) + 0.25 * shaped + 0.01 * len(rows)


def best_table(candidates: list[list[list[str]]]) -> int | None:
    """Index of the roadmap table among the candidates, or None when none has a header."""
    scores = [table_score(rows) for rows in candidates]
    if not scores or max(scores) <= 0:
        return None
    return scores.index(max(scores))


def describe(rows: list[list[str]]) -> str:
    """A few words that let a person recognise a skipped table: its first text."""
    first = next((c.strip() for cells in rows for c in cells if c.strip()), "")
    first = " ".join(first.split())
    return first[:60] + ("…" if len(first) > 60 else "")


def skipped_note(position: int, rows: list[list[str]], where: str) -> str:
    return (
        f"Таблица {position} {where} («{describe(rows)}», строк: {len(rows)}) не похожа на таблицу "
        "мероприятий и пропущена."
    )
