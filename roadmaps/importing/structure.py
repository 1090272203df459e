"""From a grid of cells to a roadmap: the header row, sections, activities and their fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import columns, errors, indicators
from .align import align
from .errors import ImportRefused
from .grid import Grid, Row
from .parsed import ParsedActivity, ParsedRoadmap, ParsedSection, ParsedWarning
from .preamble import parse_preamble, revisions_from, years
from .responsible import split_responsible
from .textutil import (
    DONE,
    ROW_NUMBER,
    cell_class,
    find_urls,
    normalise,
    one_line,
    row_number,
    split_revisions,
)

_HEADING = [
    re.compile(r"^(?:раздел|глава|часть)\s+([IVXLC]+|\d+)\.?\s*(.*)$", re.I),
    re.compile(r"^([IVXLC]+)\.\s+(.*)$"),
    re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.\s*(\D.*)$"),
]
_REGION = {"region_code", "region_name"}
_TEXT_FIELDS = (
    "title",
    "goal",
    "place",
    "deadline",
    "actual",
    "result",
    "result_document",
    "responsible",
    "audience",
    "comment",
    "indicators",
)


def split_heading(text: str) -> tuple[str, str]:
    """«Раздел I. Организационная деятельность» → («I», «Организационная деятельность»)."""
    for pattern in _HEADING:
        match = pattern.match(text)
        if match and match.group(2).strip():
            return match.group(1), match.group(2).strip()
    return "", text


@dataclass
class _Pending:
    values: dict[str, list[str]]
    source_row: int
    subrows: list[dict[str, list[str]]] = field(default_factory=list)


class _Builder:
    def __init__(self, fields: list[str | None]):
        self.fields = fields
        self.width = len(fields)
        self.short_fields = [f for f in fields if f not in _REGION]
        self.sections: list[ParsedSection] = []
        self.warnings: list[ParsedWarning] = []
        self.revision_notes: list[str] = []
        self.pending: _Pending | None = None
        self.parent = ""
        self.region_code = ""
        self.region_name = ""
        self.last_heading = ""

    # -- rows ---------------------------------------------------------------------------------------
    def add_row(self, row: Row, cells: list[str]) -> None:
        filled = [(i, c) for i, c in enumerate(cells) if c]
        number_only = (
            len(filled) == 1
            and filled[0][0] < self.width
            and self.fields[filled[0][0]] == "number"
            and ROW_NUMBER.match(filled[0][1])
        )
        if row.full_span or (len(filled) == 1 and not number_only):
            self.add_heading(filled[0][1])
            return
        values = self.place_cells(row, cells)
        number = row_number(" ".join(values.get("number", [])))
        if (
            not number
            and "number" in self.fields
            and self.pending
            and self.pending.values.get("number")
            and self.pending.values["number"][0]
        ):
            self.pending.subrows.append(values)
            return
        self.finish_pending()
        values["number"] = [number]
        self.pending = _Pending(values, row.source_row)
        self.last_heading = ""

    def place_cells(self, row: Row, cells: list[str]) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        if len(cells) == self.width:
            placed = list(zip(self.fields, cells, strict=False))
        elif len(cells) < self.width:
            targets = align(cells, self.short_fields)
            placed = [
                (self.short_fields[j] if j >= 0 else None, c) for j, c in zip(targets, cells, strict=True)
            ]
            self.warn(
                row.source_row,
                f"В строке {len(cells)} ячеек вместо {self.width}: столбцы определены по содержимому ячеек.",
            )
        else:
            placed = list(zip(self.fields, cells, strict=False))
            extra = "\n".join(c for c in cells[self.width :] if c)
            if extra:
                placed.append(("comment", extra))
                self.warn(
                    row.source_row,
                    "В строке больше ячеек, чем столбцов в заголовке: лишние ячейки добавлены в комментарий.",
                )
        for name, text in placed:
            if name and text:
                values.setdefault(name, []).append(text)
        return values

    def add_heading(self, text: str) -> None:
        """A heading row starts a section; two headings in a row make the first a group heading
        (``parent_title``) over the sections that follow."""
        self.finish_pending()
        text, notes = split_revisions(text)
        self.revision_notes.extend(notes)
        text = one_line(text)
        if self.last_heading and self.sections and not self.sections[-1].activities:
            self.sections.pop()
            self.parent = self.last_heading
        number, title = split_heading(text)
        self.sections.append(ParsedSection(title=title, number=number, parent_title=self.parent))
        self.last_heading = text

    def warn(self, row: int, message: str) -> None:
        self.warnings.append(ParsedWarning(row=row, message=message))

    # -- activities ---------------------------------------------------------------------------------
    def finish_pending(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        values = {k: list(v) for k, v in pending.values.items()}
        found = None
        if pending.subrows:
            rows = [values, *pending.subrows]
            titles = ["\n".join(row.get("title", [])) for row in rows]
            deadlines = ["\n".join(row.get("deadline", [])) for row in rows]
            found = indicators.from_subrows(titles, deadlines)
            for sub in pending.subrows:
                for name, texts in sub.items():
                    if found and name == "title":
                        continue
                    values.setdefault(name, []).extend(texts)
        activity = self.make_activity(values, pending.source_row)
        if found:
            activity.indicators.insert(0, found)
        if not self.sections:
            self.sections.append(ParsedSection(title=""))
        self.sections[-1].activities.append(activity)

    def make_activity(self, values: dict[str, list[str]], source_row: int) -> ParsedActivity:
        text: dict[str, str] = {}
        refs: list[str] = []
        for name in _TEXT_FIELDS:
            joined, notes = split_revisions("\n".join(values.get(name, [])))
            text[name] = joined
            refs.extend(n for n in notes if n not in refs)
        links: list[str] = []
        comment = [text["comment"]] if text["comment"] else []
        document = [text["result_document"]] if text["result_document"] else []
        for cell in values.get("link", []):
            urls = find_urls(cell)
            links.extend(u for u in urls if u not in links)
            rest = cell
            for url in urls:
                rest = rest.replace(url, " ")
            rest = normalise(rest).strip(" ,;")
            if len(rest) > 2:
                (document if cell_class(rest) == "docref" else comment).append(rest)
        result = text["result"]
        done = bool(DONE.search(result))
        if done:
            result = DONE.sub("", result).strip()
        if not self.region_code and values.get("region_code"):
            self.region_code = one_line(values["region_code"][0])
        if not self.region_name and values.get("region_name"):
            self.region_name = one_line(values["region_name"][0])
        self.revision_notes.extend(refs)
        activity = ParsedActivity(
            number=values.get("number", [""])[0],
            title=text["title"],
            goal_and_tasks=text["goal"],
            place_and_format=text["place"],
            deadline_text=text["deadline"],
            responsible_text=text["responsible"],
            responsible=split_responsible(text["responsible"]),
            planned_result=result,
            result_document="\n".join(document),
            target_audience=text["audience"],
            links=links,
            comment="\n".join(comment),
            actual_text=text["actual"],
            done=done,
            revision_refs=refs,
            indicators=indicators.parse_written(text["indicators"]),
            source_row=source_row,
        )
        if not activity.title:
            self.warn(source_row, "У мероприятия нет наименования.")
        if not activity.deadline_text:
            self.warn(source_row, "У мероприятия не указан срок.")
        return activity


def _header(rows: list[Row]) -> tuple[int, list[str], list[str | None], int]:
    """Index of the header row, its texts, fields and how many rows it takes (1 or 2)."""
    for index, row in enumerate(rows):
        if columns.looks_like_header(row.cells):
            top = [one_line(normalise(c)) for c in row.cells]
            taken = 1
            if index + 1 < len(rows):
                sub = [one_line(normalise(c)) for c in rows[index + 1].cells]
                filled = [c for c in sub if c]
                spans = rows[index + 1].full_span
                fits = len(sub) <= len(top) and all(map(columns.recognise, filled))
                if len(filled) >= 2 and not spans and fits:
                    texts = [s if s else t for t, s in zip(top, sub + [""] * len(top), strict=False)]
                    return index, texts, columns.recognise_row(texts), 2
            return index, top, columns.recognise_row(top), taken
    raise ImportRefused(errors.NO_TABLE)


def _is_numbering(cells: list[str]) -> bool:
    """A row of column numbers under the header: 1 | 2 | 3 | 4 …"""
    filled = [c.strip().rstrip(".") for c in cells if c.strip()]
    if len(filled) < 3 or not all(c.isdigit() for c in filled):
        return False
    first = int(filled[0])
    return [int(c) for c in filled] == list(range(first, first + len(filled)))


def build(grid: Grid) -> ParsedRoadmap:
    index, header, fields, taken = _header(grid.rows)
    missing = columns.missing_required(fields)
    if missing:
        raise ImportRefused(errors.missing_columns(missing))
    preamble = list(grid.preamble)
    for row in grid.rows[:index]:
        preamble.extend("\n".join(c for c in row.cells if c.strip()).split("\n"))
    builder = _Builder(fields)
    header_row = grid.rows[index]
    for text, name in zip(header, fields, strict=False):
        if text and not name:
            builder.warn(header_row.source_row, f"Столбец «{text}» не распознан и пропущен.")
    for row in grid.rows[index + taken :]:
        cells = [normalise(c) for c in row.cells]
        if not any(cells) or _is_numbering(cells) or [one_line(c) for c in cells] == header:
            continue
        builder.add_row(row, cells)
    builder.finish_pending()
    info = parse_preamble(preamble)
    roadmap = ParsedRoadmap(
        title=info.title,
        period=info.period,
        goal=info.goal,
        tasks=info.tasks,
        expected_results=info.expected_results,
        approving_act=info.approving_act,
        revisions=revisions_from(info.revision_notes + builder.revision_notes),
        region_code=builder.region_code,
        region_name=builder.region_name,
        sections=builder.sections,
        warnings=builder.warnings,
        source_format=grid.source_format,
    )
    if not roadmap.activities:
        raise ImportRefused(errors.NO_TABLE)
    if roadmap.period is None:
        roadmap.period = years(" ".join(a.deadline_text for a in roadmap.activities))
    return roadmap
