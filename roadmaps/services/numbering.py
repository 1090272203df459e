"""Numbers for sections and activities: the next one for a new item, and renumbering after moves.

A number stays what people typed until they renumber; renumbering follows the order the roadmap page shows
(sections by position, activities within a section by their number) and keeps the roadmap's style —
«1.1.» or «1.1», activities within sections («2.3.») or through the roadmap («17.»)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from roadmaps import numbering
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.models import Activity, Roadmap, Section
from roadmaps.numbering import Numbered
from roadmaps.selectors.roadmaps import section_tree
from roadmaps.services import lifecycle

STALE_PREVIEW_MESSAGE = (
    "Нумерация изменилась, пока вы смотрели предпросмотр: проверьте новые номера и подтвердите ещё раз."
)


def _style(roadmap: Roadmap) -> tuple[list[str], bool]:
    activity_numbers = list(roadmap.activities.values_list("number", flat=True))
    section_numbers = list(roadmap.sections.values_list("number", flat=True))
    return activity_numbers, numbering.writes_trailing_dot(activity_numbers + section_numbers)


def section_next_number(*, roadmap: Roadmap, parent: Section | None) -> str:
    """«3.» after sections «1.» and «2.»; «2.1.» for the first subsection of «2.». Two queries."""
    prefix = numbering.arabic_parts(parent.number) if parent else []
    if prefix is None:  # a parent numbered «IV» or not at all: its subsections are numbered from 1
        prefix = []
    siblings = list(roadmap.sections.filter(parent=parent).values_list("number", flat=True))
    dot = numbering.writes_trailing_dot(siblings or list(roadmap.sections.values_list("number", flat=True)))
    return numbering.next_number(siblings, prefix=prefix, dot=dot)


def activity_next_number(*, roadmap: Roadmap, section: Section | None) -> str:
    """The next activity number in the roadmap's style: within the section («2.3.») when the roadmap
    numbers so, else through the roadmap («17.»). Two queries."""
    numbers, dot = _style(roadmap)
    # The first activity of a roadmap numbers within its section: the commoner style in the plans.
    if section is not None and (numbering.is_hierarchical(numbers) or not numbers):
        prefix = numbering.arabic_parts(section.number) or []
        siblings = list(section.activities.values_list("number", flat=True))
        return numbering.next_number(siblings, prefix=prefix, dot=dot)
    return numbering.next_number(numbers, prefix=[], dot=dot)


@dataclass(frozen=True)
class Renumbering:
    """What «Перенумеровать» would change: (item, old number, new number), in page order."""

    sections: list[tuple[Section, str, str]]
    activities: list[tuple[Activity, str, str]]

    @property
    def fingerprint(self) -> str:
        """Names exactly this change, so a confirmation applies only what the person was shown."""
        rows = [f"s{s.pk}:{old}>{new}" for s, old, new in self.sections]
        rows += [f"a{a.pk}:{old}>{new}" for a, old, new in self.activities]
        return hashlib.sha256("|".join(rows).encode()).hexdigest()[:32]

    def __bool__(self) -> bool:
        return bool(self.sections or self.activities)


def roadmap_renumbering(*, roadmap: Roadmap) -> Renumbering:
    """The preview: every section and activity whose number would change. Two queries."""
    in_order = list(roadmap.sections.order_by("position", "pk"))
    sections = [section for section, _level, _group in section_tree(in_order)]
    fields = ("pk", "number", "title", "section_id", "roadmap_id")
    place = {section.pk: index for index, section in enumerate(sections)}
    activities = sorted(  # as the page shows them: section by section, by number within one
        roadmap.activities.in_roadmap_order().only(*fields), key=lambda a: place.get(a.section_id, -1)
    )
    numbers = [a.number for a in activities]
    dot = numbering.writes_trailing_dot(numbers + [s.number for s in sections])
    new_sections, new_activities = numbering.renumbered(
        [Numbered(s.pk, s.parent_id, s.number) for s in sections],
        [Numbered(a.pk, a.section_id, a.number) for a in activities],
        dot=dot,
        hierarchical=numbering.is_hierarchical(numbers) or not numbers,
    )
    return Renumbering(
        sections=[(s, s.number, new_sections[s.pk]) for s in sections if s.number != new_sections[s.pk]],
        activities=[
            (a, a.number, new_activities[a.pk]) for a in activities if a.number != new_activities[a.pk]
        ],
    )


@transaction.atomic
def roadmap_renumber(*, actor, roadmap: Roadmap, fingerprint: str) -> Renumbering:
    """Apply the renumbering the person previewed (`fingerprint`), with history and, for an approved
    roadmap, as a change of its draft edition. Refused when the numbers changed since the preview."""
    edition = lifecycle.structure_edition(roadmap)
    Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()  # one renumbering at a time
    plan = roadmap_renumbering(roadmap=roadmap)
    if not plan or plan.fingerprint != fingerprint:
        raise ValidationError(STALE_PREVIEW_MESSAGE)
    sections = [section for section, _old, _new in plan.sections]
    for section, _old, new in plan.sections:
        section.number = new
        section.version += 1
    activities = Activity.objects.filter(pk__in=[a.pk for a, _old, _new in plan.activities])
    current = {a.pk: a for a in activities.select_for_update()}
    # Numbers are unique in a roadmap and a renumbering swaps them: free them first, then write the new.
    for activity in current.values():
        activity.number = f"~{activity.pk}"
    Activity.objects.bulk_update(current.values(), ["number"])
    for activity, _old, new in plan.activities:
        fresh = current[activity.pk]
        fresh.number = new
        fresh.sort_key = numbering.number_sort_key(new)
        fresh.version += 1
    reason = "Перенумерация"
    bulk_update_with_history(
        sections, Section, ["number", "version"], default_user=actor, default_change_reason=reason
    )
    bulk_update_with_history(
        list(current.values()), Activity, ["number", "sort_key", "version"],
        default_user=actor, default_change_reason=reason,
    )  # fmt: skip
    roadmaps_data_changed([roadmap.pk])  # bulk updates send no signals
    lifecycle.record_change(edition, actor=actor, subject="Нумерация", description=_describe(plan))
    return plan


def _describe(plan: Renumbering) -> str:
    parts = []
    if plan.sections:
        parts.append("разделы " + ", ".join(f"{old or '—'} → {new}" for _s, old, new in plan.sections))
    if plan.activities:
        parts.append("мероприятия " + ", ".join(f"{old} → {new}" for _a, old, new in plan.activities))
    return "Перенумерованы " + "; ".join(parts) + "."
