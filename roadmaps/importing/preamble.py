"""What the text before the table says: title, period, goal, tasks, expected results, the approving
act and amendments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .parsed import ParsedAct
from .textutil import REVISION_NOTE, clean_line, find_approving_act, revision_acts, split_revisions

_TITLE_START = re.compile(
    r"^[«\"]?\s*(?:план\b|план[а-я]*-график|дорожн\w+\s+карт|отч[её]т\b|программ\w*\b|перечень\s+мероприятий|"
    r"комплекс\s+мер|мероприятия\s+по)",
    re.I,
)
_LABELS = [
    ("goal", re.compile(r"^\s*цел[ьи]\s*(?:[:.\-–—]|$)\s*", re.I)),
    ("tasks", re.compile(r"^\s*задачи\s*(?:[:.\-–—]|$)\s*", re.I)),
    ("expected_results", re.compile(r"^\s*ожидаемые\s+результаты\s*(?:[:.\-–—]|$)\s*", re.I)),
]
_NOT_GOAL = re.compile(r"^(?:утвержд|приложение|\(в ред|действующ|о\s)", re.I)
_YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


@dataclass
class Preamble:
    title: str = ""
    period: tuple[int, int] | None = None
    goal: str = ""
    tasks: str = ""
    expected_results: str = ""
    approving_act: ParsedAct | None = None
    revision_notes: list[str] = field(default_factory=list)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in lines:
        line = clean_line(raw.replace("**", ""))
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _labelled(blocks: list[list[str]]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for block in blocks:
        key = None
        for line in block:
            for name, label in _LABELS:
                if label.match(line):
                    key = name
                    line = label.sub("", line, count=1)
                    found.setdefault(key, [])
                    break
            if key and line:
                found[key].append(line)
        # a labelled part ends with its block
    return {key: "\n".join(lines) for key, lines in found.items()}


def _is_labelled(block: list[str]) -> bool:
    return any(label.match(block[0]) for _, label in _LABELS)


def years(text: str) -> tuple[int, int] | None:
    found = [int(y) for y in _YEAR.findall(text)]
    return (min(found), max(found)) if found else None


def parse_preamble(lines: list[str]) -> Preamble:
    result = Preamble()
    blocks = _blocks(lines)
    whole = "\n".join(line for block in blocks for line in block)
    result.approving_act = find_approving_act(whole)
    _, result.revision_notes = split_revisions(" ".join(whole.split("\n")))
    title_at = next((i for i, b in enumerate(blocks) if _TITLE_START.match(b[0])), None)
    if title_at is None:
        title_at = next(
            (
                i
                for i, b in enumerate(blocks)
                if not _NOT_GOAL.match(b[0]) and not _is_labelled(b) and not REVISION_NOTE.search(" ".join(b))
            ),
            None,
        )
    if title_at is not None:
        result.title = " ".join(blocks[title_at])
        result.period = years(result.title)
    labelled = _labelled(blocks)
    result.goal = labelled.get("goal", "")
    result.tasks = labelled.get("tasks", "")
    result.expected_results = labelled.get("expected_results", "")
    if not result.goal and title_at is not None and title_at + 1 < len(blocks):
        after = blocks[title_at + 1]
        text = " ".join(after)
        if (
            not _is_labelled(after)
            and not _NOT_GOAL.match(after[0])
            and len(text) >= 50
            and not REVISION_NOTE.search(text)
            and not find_approving_act(text)
        ):
            result.goal = "\n".join(after)
    return result


def revisions_from(notes: list[str]) -> list[ParsedAct]:
    acts: list[ParsedAct] = []
    seen: set[tuple] = set()
    for note in notes:
        for act in revision_acts(note):
            key = (act.kind, act.number, act.date)
            if key not in seen:
                seen.add(key)
                acts.append(act)
    return acts
