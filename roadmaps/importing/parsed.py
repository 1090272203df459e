"""Result of reading a roadmap document: plain dataclasses, no Django.

Other parts of the portal save a ``ParsedRoadmap`` into the database and render it as a
preview; ``to_json_dict`` gives the same data as plain JSON-able values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class ParsedAct:
    """A legal act: the approving one or an amendment (постановление, распоряжение, приказ…)."""

    kind: str
    issuer: str
    number: str
    date: date | None
    text: str

    def to_json_dict(self) -> dict:
        return {
            "kind": self.kind,
            "issuer": self.issuer,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
        }


@dataclass
class ParsedResponsible:
    name: str
    by_agreement: bool = False
    person: str = ""

    def to_json_dict(self) -> dict:
        return {"name": self.name, "by_agreement": self.by_agreement, "person": self.person}


@dataclass
class ParsedIndicator:
    name: str
    unit: str
    targets: dict[int, Decimal] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "targets": {str(year): str(value) for year, value in sorted(self.targets.items())},
        }


@dataclass
class ParsedActivity:
    """``number`` is the activity's key: unique in the roadmap, trailing dots dropped («1.1.» → «1.1»),
    qualified by its section («II.1») when numbering restarts in each section, or given by the
    importer when the table has no «№» column. ``number_as_written`` is the number exactly as the
    document shows it («1.1.», «1.»), empty when the document gives none."""

    number: str = ""
    number_as_written: str = ""
    title: str = ""
    goal_and_tasks: str = ""
    place_and_format: str = ""
    deadline_text: str = ""
    responsible_text: str = ""
    responsible: list[ParsedResponsible] = field(default_factory=list)
    planned_result: str = ""
    result_document: str = ""
    target_audience: str = ""
    links: list[str] = field(default_factory=list)
    comment: str = ""
    actual_text: str = ""
    done: bool = False
    revision_refs: list[str] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    source_row: int = 0

    @property
    def renumbered(self) -> bool:
        """The importer changed the number («1.» → «II.1», or numbered a table without «№»)."""
        return self.number_as_written.rstrip(".") != self.number

    def to_json_dict(self) -> dict:
        return {
            "number": self.number,
            "number_as_written": self.number_as_written,
            "title": self.title,
            "goal_and_tasks": self.goal_and_tasks,
            "place_and_format": self.place_and_format,
            "deadline_text": self.deadline_text,
            "actual_text": self.actual_text,
            "responsible_text": self.responsible_text,
            "responsible": [r.to_json_dict() for r in self.responsible],
            "planned_result": self.planned_result,
            "result_document": self.result_document,
            "done": self.done,
            "target_audience": self.target_audience,
            "links": list(self.links),
            "comment": self.comment,
            "revision_refs": list(self.revision_refs),
            "indicators": [i.to_json_dict() for i in self.indicators],
            "source_row": self.source_row,
        }


@dataclass
class ParsedHeading:
    """A heading above sections (Подпрограмма → Цель → Задача…): ``text`` as written on one line."""

    text: str
    number: str = ""
    title: str = ""

    def to_json_dict(self) -> dict:
        return {"text": self.text, "number": self.number, "title": self.title}


@dataclass
class ParsedSection:
    """A heading that activities follow. ``ancestors`` are the headings above it, the top one first, so a
    document keeps a hierarchy of any depth; headings with no activities of their own appear only as
    ancestors. ``parent_title`` is the nearest ancestor's text (it is filled in from ``ancestors``;
    a section made by hand may give only ``parent_title``)."""

    title: str
    number: str = ""
    activities: list[ParsedActivity] = field(default_factory=list)
    parent_title: str = ""
    ancestors: list[ParsedHeading] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.ancestors:
            self.parent_title = self.ancestors[-1].text
        elif self.parent_title:
            self.ancestors = [ParsedHeading(text=self.parent_title, title=self.parent_title)]

    @property
    def level(self) -> int:
        """0 for a top-level section, 1 under one heading, and so on."""
        return len(self.ancestors)

    def to_json_dict(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "parent_title": self.parent_title,
            "ancestors": [heading.text for heading in self.ancestors],
            "activities": [a.to_json_dict() for a in self.activities],
        }


@dataclass
class ParsedWarning:
    row: int
    message: str

    def to_json_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ParsedRoadmap:
    title: str = ""
    period: tuple[int, int] | None = None
    goal: str = ""
    tasks: str = ""
    expected_results: str = ""
    approving_act: ParsedAct | None = None
    revisions: list[ParsedAct] = field(default_factory=list)
    region_code: str = ""
    region_name: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    # Indicators of the roadmap itself (a table of yearly targets with no activities).
    indicators: list[ParsedIndicator] = field(default_factory=list)
    warnings: list[ParsedWarning] = field(default_factory=list)
    source_format: str = ""

    @property
    def activities(self) -> list[ParsedActivity]:
        """All activities of all sections, in document order."""
        return [activity for section in self.sections for activity in section.activities]

    def to_json_dict(self) -> dict:
        return {
            "title": self.title,
            "period": list(self.period) if self.period else None,
            "goal": self.goal,
            "tasks": self.tasks,
            "expected_results": self.expected_results,
            "act": self.approving_act.to_json_dict() if self.approving_act else None,
            "revisions": [act.to_json_dict() for act in self.revisions],
            "region_code": self.region_code,
            "region_name": self.region_name,
            "source_format": self.source_format,
            "sections": [s.to_json_dict() for s in self.sections],
            "indicators": [i.to_json_dict() for i in self.indicators],
            "warnings": [w.to_json_dict() for w in self.warnings],
        }
