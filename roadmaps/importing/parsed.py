"""Result of reading a roadmap document: plain dataclasses, no Django.

Other parts of the portal save a ``ParsedRoadmap`` into the database and render it as a
preview; ``to_json_dict`` gives the same data as plain JSON-able values for people and other
programs. ``to_dict`` / ``from_dict`` are for keeping a parsed upload between requests: they round-trip
exactly (``ParsedRoadmap.from_dict(r.to_dict()) == r``), leave out fields at their defaults to keep the
stored document small, and ignore keys they do not know (a result stored before a field was removed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any


class _Stored:
    """``to_dict`` / ``from_dict`` for the dataclasses below; ``_DECODERS`` (at the end of the module)
    says how a field whose JSON form differs from its Python value is read back."""

    def to_dict(self) -> dict[str, Any]:
        stored = {}
        for name, default in _defaults(type(self)):
            value = getattr(self, name)
            if value != default:
                stored[name] = _encode(value)
        return stored

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        decoders = _DECODERS.get(cls, {})
        known = _known(cls)
        values = {name: decoders.get(name, _same)(value) for name, value in data.items() if name in known}
        return cls(**values)


@cache
def _defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    """Each field's name and default (``MISSING`` for a required one); mutable defaults are compared,
    never handed out, so one instance of each is enough."""
    found = []
    for spec in fields(cls):
        if spec.default is not MISSING:
            found.append((spec.name, spec.default))
        elif spec.default_factory is not MISSING:
            found.append((spec.name, spec.default_factory()))
        else:
            found.append((spec.name, MISSING))
    return tuple(found)


@cache
def _known(cls: type) -> frozenset[str]:
    return frozenset(name for name, _ in _defaults(cls))


def _encode(value: Any) -> Any:
    if is_dataclass(value):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _same(value: Any) -> Any:
    return value


def _list_of(cls: type) -> Callable[[list], list]:
    return lambda items: [cls.from_dict(item) for item in items]


@dataclass
class ParsedAct(_Stored):
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
class ParsedResponsible(_Stored):
    name: str
    by_agreement: bool = False
    person: str = ""

    def to_json_dict(self) -> dict:
        return {"name": self.name, "by_agreement": self.by_agreement, "person": self.person}


@dataclass
class ParsedIndicator(_Stored):
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
class ParsedActivity(_Stored):
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
class ParsedHeading(_Stored):
    """A heading above sections (Подпрограмма → Цель → Задача…): ``text`` as written on one line."""

    text: str
    number: str = ""
    title: str = ""

    def to_json_dict(self) -> dict:
        return {"text": self.text, "number": self.number, "title": self.title}


@dataclass
class ParsedSection(_Stored):
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
class ParsedWarning(_Stored):
    row: int
    message: str

    def to_json_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ParsedRoadmap(_Stored):
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


_DECODERS: dict[type, dict[str, Callable[[Any], Any]]] = {
    ParsedAct: {"date": lambda text: date.fromisoformat(text) if text else None},
    ParsedIndicator: {"targets": lambda targets: {int(year): Decimal(v) for year, v in targets.items()}},
    ParsedActivity: {
        "responsible": _list_of(ParsedResponsible),
        "indicators": _list_of(ParsedIndicator),
    },
    ParsedSection: {"activities": _list_of(ParsedActivity), "ancestors": _list_of(ParsedHeading)},
    ParsedRoadmap: {
        "period": lambda period: tuple(period) if period else None,
        "approving_act": lambda act: ParsedAct.from_dict(act) if act else None,
        "revisions": _list_of(ParsedAct),
        "sections": _list_of(ParsedSection),
        "indicators": _list_of(ParsedIndicator),
        "warnings": _list_of(ParsedWarning),
    },
}
