"""From a grid of cells to a roadmap: the header, headings of any depth, activities and their fields,
or — for a table of yearly targets with no activities — the roadmap's indicators."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import columns, errors, indicators
from .align import align
from .errors import ImportRefused
from .grid import Grid, Row
from .header import Header, combine_labelled, find_header, guess_unnamed
from .headings import Heading, assemble, split_heading
from .limits import REPORT_EVERY
from .numbers import settle_numbers
from .parsed import ParsedActivity, ParsedIndicator, ParsedRoadmap, ParsedWarning
from .preamble import parse_preamble, revisions_from, years
from .responsible import split_responsible
from .textutil import (
    DONE,
    ROW_NUMBER,
    cell_class,
    find_urls,
    is_date_like,
    normalise,
    one_line,
    split_revisions,
)

__all__ = ["build", "split_heading"]

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
# A heading whose number sits in its own cell: «II. | Методическая работа», «Раздел 2 | …».
_HEADING_NUMBER = re.compile(
    r"^(?:[IVXLC]+\.?|(?:подпрограмма|подраздел|раздел|глава|часть|цель|задача|направление)\s*\S*)$", re.I
)
# «(в срок до 1 июня)», «(до 01.09.2024)», «(не позднее 15 мая)» inside an activity's name.
_DEADLINE_IN_TITLE = re.compile(
    r"\s*\(\s*((?:в\s+срок\s+)?(?:до|не\s+позднее|к|в\s+течение|срок\s*[:\-–—]?)\s+[^()]{2,60}?)\s*\)", re.I
)
_SIGNATURE = re.compile(
    r"подпись|\bм\.\s?п\.|_{4,}|^(?:директор|начальник|руководитель|заведующ\w*|глава|министр|заместитель|"
    r"председатель|исполнитель|составил|согласовано)\b.*(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.)",
    re.I,
)


@dataclass
class _Pending:
    values: dict[str, list[str]]
    source_row: int
    subrows: list[dict[str, list[str]]] = field(default_factory=list)


class _Builder:
    def __init__(self, header: Header):
        self.header = header
        self.fields = header.fields
        self.width = len(self.fields)
        self.short_columns = [j for j, f in enumerate(self.fields) if f not in _REGION]
        self.events: list[Heading | ParsedActivity] = []
        self.warnings: list[ParsedWarning] = []
        self.revision_notes: list[str] = []
        self.pending: _Pending | None = None
        self.region_code = ""
        self.region_name = ""

    # -- rows ---------------------------------------------------------------------------------------
    def add_row(self, row: Row, cells: list[str]) -> None:
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if self._amendment(filled):
            return
        heading = self._heading(row, filled)
        if heading:
            self.add_heading(heading, row.source_row)
            return
        values = self.place_cells(row, cells)
        number = " ".join(values.get("number", [])).strip()
        if not number and "number" in self.fields and self.pending and self.pending.values.get("number"):
            self.pending.subrows.append(values)
            return
        self.finish_pending()
        values["number"] = [number] if number else []
        self.pending = _Pending(values, row.source_row)

    def _field_at(self, index: int) -> str | None:
        return self.fields[index] if index < self.width else None

    def _heading(self, row: Row, filled: list[tuple[int, str]]) -> str:
        """The heading text when the row is a heading, else ""."""
        if not filled:
            return ""
        number_only = (
            len(filled) == 1 and self._field_at(filled[0][0]) == "number" and ROW_NUMBER.match(filled[0][1])
        )
        if row.full_span or (len(filled) == 1 and not number_only):
            return filled[0][1]
        if len(filled) == 2 and filled[1][0] == filled[0][0] + 1:
            first, second = filled[0][1], filled[1][1]
            in_number_cell = self._field_at(filled[0][0]) in ("number", None) or filled[0][0] == 0
            if in_number_cell and _HEADING_NUMBER.match(first) and not is_date_like(second):
                if re.fullmatch(r"[IVXLC]+", first):
                    first += "."
                return f"{first} {second}"
        return ""

    def _amendment(self, filled: list[tuple[int, str]]) -> bool:
        """A row that only says how the row above was amended («(Пункт изложен в редакции …)»)."""
        if not filled or len({c for _, c in filled}) != 1:
            return False
        rest, notes = split_revisions(one_line(filled[0][1]))
        if rest.strip() or not notes:
            return False
        self.finish_pending()
        target = next((e for e in reversed(self.events) if isinstance(e, ParsedActivity)), None)
        if target is not None:
            target.revision_refs.extend(n for n in notes if n not in target.revision_refs)
        self.revision_notes.extend(notes)
        return True

    def place_cells(self, row: Row, cells: list[str]) -> dict[str, list[str]]:
        placed: list[tuple[int | None, str]]
        if len(cells) == self.width:
            placed = list(enumerate(cells))
        elif len(cells) < self.width:
            short_fields = [self.fields[j] for j in self.short_columns]
            targets = align(cells, short_fields)
            placed = [
                (self.short_columns[t] if t >= 0 else None, c) for t, c in zip(targets, cells, strict=True)
            ]
            self.warn(
                row.source_row,
                f"В строке {len(cells)} ячеек вместо {self.width}: столбцы определены по содержимому ячеек.",
            )
        else:
            placed = list(enumerate(cells[: self.width]))
            extra = "\n".join(c for c in cells[self.width :] if c)
            if extra:
                placed.append((-1, extra))
                self.warn(
                    row.source_row,
                    "В строке больше ячеек, чем столбцов в заголовке: лишние ячейки добавлены в комментарий.",
                )
        values: dict[str, list[str]] = {}
        labelled: dict[str, list[tuple[str, str]]] = {}
        for column, text in placed:
            if column is None or not text:
                continue
            name = "comment" if column < 0 else self.fields[column]
            if name == "year":
                values.setdefault(f"year:{self.header.years[column]}", []).append(text)
            elif name and column >= 0 and self.header.labels[column]:
                labelled.setdefault(name, []).append((self.header.labels[column], text))
            elif name:
                values.setdefault(name, []).append(text)
        for name, parts in labelled.items():
            values.setdefault(name, []).append(combine_labelled(name, parts))
        return values

    def add_heading(self, text: str, source_row: int) -> None:
        self.finish_pending()
        text, notes = split_revisions(text)
        self.revision_notes.extend(notes)
        self.events.append(Heading(one_line(text), source_row))

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
        self.events.append(activity)

    def make_activity(self, values: dict[str, list[str]], source_row: int) -> ParsedActivity:
        text: dict[str, str] = {}
        refs: list[str] = []
        for name in _TEXT_FIELDS:
            joined, notes = split_revisions("\n".join(values.get(name, [])))
            text[name] = joined
            refs.extend(n for n in notes if n not in refs)
        phrase = None if text["deadline"] else _DEADLINE_IN_TITLE.search(text["title"])
        if phrase and is_date_like(phrase.group(1)):
            # The name carried the deadline and the deadline cell is empty: it moves to the deadline.
            text["deadline"] = phrase.group(1)
            text["title"] = normalise(text["title"][: phrase.start()] + text["title"][phrase.end() :])
            self.warn(source_row, f"Срок «{phrase.group(1)}» взят из наименования мероприятия.")
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
        found = indicators.parse_written(text["indicators"])
        by_year = _year_cells(values)
        if by_year and (yearly := indicators.from_year_columns(text["title"], _unit(values), by_year)):
            found.append(yearly)
        activity = ParsedActivity(
            number_as_written=re.sub(r"\s+", "", values["number"][0]) if values.get("number") else "",
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
            indicators=found,
            source_row=source_row,
        )
        if not activity.title:
            self.warn(source_row, "У мероприятия нет наименования.")
        if not activity.deadline_text and "deadline" in self.fields:
            self.warn(source_row, "У мероприятия не указан срок.")
        return activity


def _year_cells(values: dict[str, list[str]]) -> dict[int, str]:
    return {int(k[5:]): " ".join(v) for k, v in values.items() if k.startswith("year:")}


def _unit(values: dict[str, list[str]]) -> str:
    return one_line(" ".join(values.get("unit", [])))


def _indicator_rows(header: Header, rows: list[tuple[Row, list[str]]]) -> list[ParsedIndicator]:
    """A table of yearly targets: each row with an indicator's name is one indicator."""
    found: list[ParsedIndicator] = []
    name_at = header.fields.index("indicator_name")
    for _, cells in rows:
        cells = cells + [""] * (len(header.fields) - len(cells))
        name = one_line(cells[name_at])
        unit = next((one_line(c) for c, f in zip(cells, header.fields, strict=False) if f == "unit"), "")
        by_year = {header.years[j]: cells[j] for j in header.years if cells[j]}
        indicator = indicators.from_year_columns(name, unit, by_year)
        if indicator:
            found.append(indicator)
    return found


def _body(grid: Grid, header: Header) -> tuple[list[tuple[Row, list[str]]], list[str]]:
    """Data rows after the header (repeated headers and column numbers skipped), and the signature
    lines found after the last of them."""
    rows = []
    for row in grid.rows[header.index + header.taken :]:
        cells = [normalise(c) for c in row.cells]
        if any(cells) and not header.is_repeat(cells):
            rows.append((row, cells))
    signatures: list[str] = []
    while rows and _SIGNATURE.search(" ".join(c for c in rows[-1][1] if c)):
        number_at = header.fields.index("number") if "number" in header.fields else None
        cells = rows[-1][1]
        if number_at is not None and number_at < len(cells) and ROW_NUMBER.match(cells[number_at]):
            break
        signatures.insert(0, one_line(" ".join(c for c in cells if c)))
        rows.pop()
    return rows, signatures


def _column_warnings(header: Header, guessed: list[tuple[int, str]], row: int) -> list[ParsedWarning]:
    notes = []
    for j, name in guessed:
        label = columns.FIELD_NAMES.get(name, name)
        notes.append(f"Столбец {j + 1} без заголовка прочитан по содержимому как «{label}».")
    for text, name in zip(header.texts, header.fields, strict=False):
        if text and not name:
            notes.append(f"Столбец «{text}» не распознан и пропущен.")
    if not columns.is_indicator_table(header.fields) and (absent := columns.missing_expected(header.fields)):
        notes.append("В таблице нет столбцов: " + ", ".join(absent) + ".")
    return [ParsedWarning(row=row, message=note) for note in notes]


def build(grid: Grid, progress: Callable[[float], None] | None = None) -> ParsedRoadmap:
    """``progress`` receives the share of data rows placed so far (0–1), now and then."""
    header = find_header(grid.rows)
    rows, signatures = _body(grid, header)
    guessed = guess_unnamed(header, [cells for _, cells in rows])
    indicator_table = columns.is_indicator_table(header.fields)
    missing = columns.missing_required(header.fields)
    if missing and not indicator_table:
        raise ImportRefused(errors.missing_columns(missing))
    preamble = list(grid.preamble)
    for row in grid.rows[: header.index]:
        preamble.extend("\n".join(c for c in row.cells if c.strip()).split("\n"))
    warnings = [ParsedWarning(row=0, message=note) for note in grid.notes]
    warnings += _column_warnings(header, guessed, grid.rows[header.index].source_row)
    if signatures:
        warnings.append(
            ParsedWarning(row=0, message="Подписи после таблицы пропущены: " + "; ".join(signatures))
        )
    builder = _Builder(header)
    roadmap_indicators: list[ParsedIndicator] = []
    if indicator_table:
        roadmap_indicators = _indicator_rows(header, rows)
    else:
        for placed, (row, cells) in enumerate(rows, 1):
            builder.add_row(row, cells)
            if progress and placed % REPORT_EVERY == 0:
                progress(placed / len(rows))
        builder.finish_pending()
    sections = assemble(builder.events)
    numbering = settle_numbers(sections, "number" in header.fields)
    warnings += [ParsedWarning(row=0, message=note) for note in numbering] + builder.warnings
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
        sections=sections,
        indicators=roadmap_indicators,
        warnings=warnings,
        source_format=grid.source_format,
    )
    if not roadmap.activities and not roadmap.indicators:
        raise ImportRefused(errors.NO_TABLE)
    if roadmap.period is None:
        texts = [a.deadline_text for a in roadmap.activities]
        texts += [str(year) for i in roadmap.indicators for year in i.targets]
        roadmap.period = years(" ".join(texts))
    return roadmap
