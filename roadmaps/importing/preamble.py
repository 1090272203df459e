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
_NOT_GOAL = re.compile(r"^(?:утвержд|согласован|приложение|\(в ред|действующ|о\s|лист\s+согласования)", re.I)
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


_STOP = re.compile(
    r"^(?:утвержд|согласован|приложени|к\s+(?:постановлени|приказ|распоряжени|решени)|от\s*[\d_«\"]|"
    r"\(\s*в\s+ред|лист\s+согласования)|_{3,}|«\s*_+\s*»",
    re.I,
)
# A line naming a legal act by its date and number («постановление … от 05.07.2019 № 291»).
_ACT_LINE = re.compile(
    r"^\W*(?:постановлени|приказ|распоряжени|решени|указ)\w*\b.*\bот\s*(?:[\d_]|\d{1,2}\s+\w+\s+\d{4})", re.I
)
_CONTINUES = re.compile(r"^(?:[a-zа-яё]|[«\"(]|(?:на|в|во|по|для|до|о|об|и|с|при|из|к)\s)")


def _stops_title(line: str) -> bool:
    return bool(
        _STOP.search(line)
        or _ACT_LINE.search(line)
        or REVISION_NOTE.search(line)
        or find_approving_act(line)
        or any(label.match(line) for _, label in _LABELS)
    )


def _title_span(lines: list[str]) -> tuple[int, int] | None:
    """Where the title is among the preamble lines ("" marks a paragraph break): from the first line
    that starts like a title (else the first paragraph that is not an approval block, a label or an
    amendment) through the lines that continue it — within its paragraph, and across a break when
    the next paragraph reads on («на 2024 год», «мероприятий по …», more capitals) — stopping at
    the approving act, an amendment note or a labelled part."""
    labelled = False
    start = None
    for index, line in enumerate(lines):
        if not line:
            labelled = False
            continue
        labelled = labelled or any(label.match(line) for _, label in _LABELS)
        if not labelled and _TITLE_START.match(line):
            start = index
            break
    if start is None:
        blocks = [i for i, line in enumerate(lines) if line and (i == 0 or not lines[i - 1])]
        start = next(
            (i for i in blocks if not _NOT_GOAL.match(lines[i]) and not _stops_title(lines[i])), None
        )
        if start is None:
            return None
    end = start + 1
    while end < len(lines):
        line, gap = lines[end], end
        while line == "" and gap + 1 < len(lines):
            gap += 1
            line = lines[gap]
        if not line or _stops_title(line) or lines[end - 1].endswith(".") or len(line) > 300:
            break
        previous = lines[end - 1]
        if gap > end and not (_CONTINUES.match(line) or (previous.isupper() and line.isupper())):
            break
        end = gap + 1
    return start, end


def parse_preamble(lines: list[str]) -> Preamble:
    result = Preamble()
    cleaned = [clean_line(raw.replace("**", "")) for raw in lines]
    blocks = _blocks(lines)
    whole = "\n".join(line for block in blocks for line in block)
    result.approving_act = find_approving_act(whole)
    _, result.revision_notes = split_revisions(" ".join(whole.split("\n")))
    span = _title_span(cleaned)
    if span is not None:
        result.title = " ".join(line for line in cleaned[span[0] : span[1]] if line)
        result.period = years(result.title)
    labelled = _labelled(blocks)
    result.goal = labelled.get("goal", "")
    result.tasks = labelled.get("tasks", "")
    result.expected_results = labelled.get("expected_results", "")
    if not result.goal and span is not None:
        after = _paragraph_after(cleaned, span[1])
        text = " ".join(after)
        if (
            after
            and not _is_labelled(after)
            and not _NOT_GOAL.match(after[0])
            and len(text) >= 50
            and not REVISION_NOTE.search(text)
            and not find_approving_act(text)
        ):
            result.goal = "\n".join(after)
    return result


def _paragraph_after(lines: list[str], index: int) -> list[str]:
    while index < len(lines) and not lines[index]:
        index += 1
    paragraph = []
    while index < len(lines) and lines[index]:
        paragraph.append(lines[index])
        index += 1
    return paragraph


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
