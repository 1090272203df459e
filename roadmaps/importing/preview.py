"""What the person importing sees before saving: parsed deadlines, matched organisations, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from organizations.models import Organization
from organizations.names import group_spellings, identity_keys
from roadmaps.deadlines import parse_deadline
from roadmaps.importing.parsed import ParsedActivity, ParsedRoadmap
from roadmaps.importing.save import (
    OrganizationMatches,
    duplicate_numbers,
    effective_period,
    match_organizations,
)


@dataclass
class PreviewRow:
    activity: ParsedActivity
    schedule_description: str
    occurrences: int
    problems: list[str]


@dataclass
class PreviewSection:
    """A section as the roadmap page will show it: `headings` above it not shown yet, as (level, text),
    then its own title at `level`."""

    title: str
    rows: list[PreviewRow] = field(default_factory=list)
    level: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Preview:
    parsed: ParsedRoadmap
    period_display: str
    sections: list[PreviewSection]
    warnings: list[str]
    unknown_organizations: list[str]
    matched_organizations: dict[str, Organization]

    @property
    def problem_count(self) -> int:
        return sum(1 for section in self.sections for row in section.rows if row.problems)


def build_preview(
    parsed: ParsedRoadmap,
    *,
    owner: Organization,
    period: tuple[int, int] | None = None,
    matches: OrganizationMatches | None = None,
) -> Preview:
    """The preview of `parsed` for `owner`: deadlines read over `period` (the document's unless staff
    typed another), organisations matched (pass `matches` when already made)."""
    period = period or effective_period(parsed)
    sections = []
    shown: list[str] = []  # the headings the previous section sat under
    for parsed_section in parsed.sections:
        path = [heading.text for heading in parsed_section.ancestors]
        same = 0
        while same < min(len(path), len(shown)) and path[same] == shown[same]:
            same += 1
        shown = path
        own = f"{parsed_section.number} {parsed_section.title}".strip()
        section = PreviewSection(
            title=own or (path[-1] if path else ""),
            level=len(path) if own else max(len(path) - 1, 0),
            headings=[(level, path[level]) for level in range(same, len(path) if own else len(path) - 1)],
        )
        for activity in parsed_section.activities:
            schedule = parse_deadline(activity.deadline_text, period=period)
            section.rows.append(
                PreviewRow(
                    activity=activity,
                    schedule_description=schedule.describe(),
                    occurrences=len(schedule.occurrences),
                    problems=list(schedule.problems),
                )
            )
        sections.append(section)
    matches = matches or match_organizations(parsed, owner=owner)
    warnings = [f"строка {w.row}: {w.message}" if w.row else w.message for w in parsed.warnings]
    if repeated := duplicate_numbers(parsed):
        warnings.insert(0, "Номера мероприятий повторяются: " + ", ".join(repeated) + " — сохранить нельзя.")
    if parsed.period is None and period == effective_period(parsed):
        warnings.insert(0, "В документе не найден период: подставлен текущий год — исправьте годы выше.")
    return Preview(
        parsed=parsed,
        period_display=f"{period[0]}–{period[1]}",
        sections=sections,
        warnings=warnings,
        unknown_organizations=matches.unknown,
        matched_organizations=matches.found,
    )


@dataclass
class SpellingGroup:
    """Unknown spellings taken for one organisation, and the organisation a matched spelling of it
    suggests (None when nothing in the document points to one)."""

    names: list[str]
    suggested: Organization | None = None


def spelling_groups(matches: OrganizationMatches) -> list[SpellingGroup]:
    """The unknown spellings grouped by likely identity; a group sharing a key with a spelling that was
    matched is offered that spelling's organisation."""
    by_key = {
        key: organization for name, organization in matches.found.items() for key in identity_keys(name)
    }
    groups = []
    for names in group_spellings(matches.unknown):
        keys = set().union(*(identity_keys(name) for name in names))
        suggested = next((by_key[key] for key in sorted(keys) if key in by_key), None)
        groups.append(SpellingGroup(names=names, suggested=suggested))
    return groups
