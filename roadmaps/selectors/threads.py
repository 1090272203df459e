"""The thread of a checkpoint or an activity: every report, decision, file and message in time order.

Reads a fixed number of queries (one per kind of entry) whatever the length of the story.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from roadmaps.models import Activity, Checkpoint, CheckpointReopening, CheckpointTransition, Comment, Evidence

Status = Checkpoint.Status

# What a status change says in the thread; the note (the result, the reason) follows it.
_TRANSITION_WORDS = {
    Status.REPORTED: "Отчёт отправлен",
    Status.DONE: "Отчёт принят",
    Status.RETURNED: "Отчёт возвращён на доработку",
    Status.CANCELLED: "Контрольная точка отменена",
    Status.PLANNED: "Контрольная точка восстановлена",
}


@dataclass
class ThreadEntry:
    at: datetime.datetime
    kind: str  # "status", "reopening", "evidence", "comment"
    who: Any
    what: str
    text: str = ""
    status: str = ""
    organization: Any = None
    evidence: Evidence | None = None
    comment: Comment | None = None


def _transition_entries(checkpoint: Checkpoint) -> list[ThreadEntry]:
    transitions = CheckpointTransition.objects.filter(checkpoint=checkpoint).select_related("actor")
    return [
        ThreadEntry(
            at=t.at,
            kind="status",
            who=t.actor,
            what=_TRANSITION_WORDS.get(t.status, f"Статус: {t.get_status_display()}"),
            text=t.note,
            status=t.status,
        )
        for t in transitions
    ]


def _reopening_entries(checkpoint: Checkpoint) -> list[ThreadEntry]:
    reopenings = CheckpointReopening.objects.filter(checkpoint=checkpoint).select_related("actor")
    return [
        ThreadEntry(
            at=r.at,
            kind="reopening",
            who=r.actor,
            what="Открыта для изменений в закрытом периоде",
            text=r.reason,
        )
        for r in reopenings
    ]


def _evidence_entries(checkpoint: Checkpoint) -> list[ThreadEntry]:
    evidence = Evidence.objects.filter(checkpoint=checkpoint).select_related("uploaded_by")
    return [
        ThreadEntry(
            at=item.uploaded_at,
            kind="evidence",
            who=item.uploaded_by,
            what="Приложен файл" if item.file else "Приложена ссылка",
            evidence=item,
        )
        for item in evidence
    ]


def _comment_entries(comments) -> list[ThreadEntry]:
    return [
        ThreadEntry(
            at=c.created_at,
            kind="comment",
            who=c.author,
            what="Сообщение",
            text=c.text,
            organization=c.organization,
            comment=c,
        )
        for c in comments.select_related("author", "organization")
    ]


def _in_time_order(entries: list[ThreadEntry]) -> list[ThreadEntry]:
    # A report and the file sent with it share a moment: the report comes first, then its files.
    order = {"status": 0, "reopening": 1, "evidence": 2, "comment": 3}
    return sorted(entries, key=lambda entry: (entry.at, order[entry.kind]))


def checkpoint_thread(*, checkpoint: Checkpoint) -> list[ThreadEntry]:
    """Queries: transitions, reopenings, evidence, comments (each with its people)."""
    return _in_time_order(
        _transition_entries(checkpoint)
        + _reopening_entries(checkpoint)
        + _evidence_entries(checkpoint)
        + _comment_entries(Comment.objects.filter(checkpoint=checkpoint))
    )


def activity_thread(*, activity: Activity) -> list[ThreadEntry]:
    """The department's own messages on an activity. Queries: one."""
    return _comment_entries(Comment.objects.filter(activity=activity))
