"""A roadmap's .xlsx, edited in Excel, brought back as an update: previewed (what it adds, changes field by
field, removes), then applied in one transaction through the activity services, so history names the actor
and an approved roadmap's open edition lists every change (ActivityInfo's import by key).

The preview carries a fingerprint of the roadmap's activities (each one's id, version and number); the
confirmation is refused when the roadmap changed since (`UpdateOutdated`), and the preview is shown again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from roadmaps import outcomes
from roadmaps.exporting import _activity as exported_activity
from roadmaps.importing.parsed import ParsedActivity, ParsedRoadmap
from roadmaps.importing.save import WRITTEN_NUMBER, written_number
from roadmaps.importing.update import Row, UpdateDiff, diff_rows, file_rows, number_key, row_values
from roadmaps.models import Activity, Checkpoint, Indicator, Responsibility, Roadmap, Section, roadmap_targets
from roadmaps.services import lifecycle
from roadmaps.services._common import ConcurrentEditError
from roadmaps.services.activities import activity_create, activity_delete, activity_update

OUTDATED = (
    "Дорожная карта изменилась после того, как был показан разбор файла: проверьте изменения ещё раз "
    "и подтвердите их."
)
REFUSED = "Файл не применён: исправьте отмеченные строки и загрузите его снова."
CONFIRM_REMOVALS = (
    "Отметьте, что удаляемые мероприятия действительно нужно удалить, или верните их строки в файл."
)
REPORTED = "По мероприятию уже есть отчёты — его нельзя удалить, только отменить контрольные точки."


class UpdateOutdated(Exception):
    """The roadmap's activities changed after the preview was shown."""


@dataclass
class UpdatePlan:
    """What applying the file would do, and the fingerprint of the activities it was worked out against.
    `kept` are activities the file leaves out that cannot be removed (key → why); they stay as they are."""

    diff: UpdateDiff
    fingerprint: str
    kept: dict[str, str] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    parsed: dict[str, ParsedActivity] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)

    @property
    def removable(self) -> list:
        return [item for item in self.diff.removed if item.key not in self.kept]

    @property
    def kept_removals(self) -> list:
        return [(item, self.kept[item.key]) for item in self.diff.removed if item.key in self.kept]

    def counts(self) -> dict[str, int]:
        return {**self.diff.counts(), "removed": len(self.removable), "kept": len(self.kept)}


def _activities(roadmap: Roadmap) -> list[Activity]:
    """Four queries: the activities, their responsible organisations, indicators and targets."""
    return list(
        Activity.objects.filter(roadmap=roadmap)
        .order_by("sort_key", "pk")
        .prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("organization")),
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related(roadmap_targets())),
        )
    )


def _fingerprint(activities: list[Activity]) -> str:
    text = ";".join(f"{a.pk}:{a.version}:{a.number}" for a in sorted(activities, key=lambda a: a.pk))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _aliases(by_key: dict[str, Activity]) -> dict[str, str]:
    """The number the export writes for an activity the importer renumbered («1.» for «II.1»), where
    only one activity is written so."""
    written: dict[str, list[str]] = {}
    for key, activity in by_key.items():
        as_written = number_key(written_number(activity.number, activity.comment)[0])
        if as_written != key:
            written.setdefault(as_written, []).append(key)
    return {alias: keys[0] for alias, keys in written.items() if len(keys) == 1}


def roadmap_update_plan(*, roadmap: Roadmap, parsed: ParsedRoadmap) -> UpdatePlan:
    """Compare the file with the roadmap. Five queries: the activities (four) and which of those the file
    removes have reported checkpoints."""
    activities = _activities(roadmap)
    by_key = {number_key(a.number): a for a in activities}
    current = {key: row_values(exported_activity(a)) for key, a in by_key.items()}
    rows = file_rows(parsed.sections, current, _aliases(by_key))
    diff = diff_rows(current, rows)
    removed_ids = [by_key[item.key].pk for item in diff.removed]
    reported = set()
    if removed_ids:
        reported = set(
            Checkpoint.objects.filter(activity_id__in=removed_ids)
            .exclude(status=outcomes.PLANNED)
            .values_list("activity_id", flat=True)
        )
    kept = {item.key: REPORTED for item in diff.removed if by_key[item.key].pk in reported}
    pairs = zip(rows, (a for section in parsed.sections for a in section.activities), strict=True)
    parsed_of = {row.key: activity for row, activity in pairs if row.key}
    return UpdatePlan(
        diff=diff,
        fingerprint=_fingerprint(activities),
        kept=kept,
        activities=by_key,
        parsed=parsed_of,
        rows={row.key: row for row in rows if row.key},
    )


def _fields(activity: Activity, item: ParsedActivity, changed: set[str]) -> dict:
    """The activity fields a changed column sets, from the file's activity."""
    fields: dict = {}
    if "title" in changed:
        fields["title"] = item.title
    if "deadline" in changed:
        fields["deadline_text"] = item.deadline_text
        fields["revision_note"] = "\n".join(item.revision_refs)
    if "responsible" in changed:
        # The text as the document gives it; organisations are assigned on the activity's page.
        fields["responsible_text"] = row_values(item)["responsible"]
    if "result" in changed:
        fields["planned_result"] = item.planned_result
    if "goal" in changed:
        fields["goal_and_tasks"] = item.goal_and_tasks
    if "place" in changed:
        fields["place_and_format"] = item.place_and_format
    if "result_document" in changed:
        fields["result_document"] = item.result_document
    if "audience" in changed:
        fields["target_audience"] = item.target_audience
    if "link" in changed:
        fields["links"] = "\n".join(item.links)
    if "comment" in changed:
        as_written, _comment = written_number(activity.number, activity.comment)
        keep = f"{WRITTEN_NUMBER}{as_written}" if as_written != activity.number else ""
        fields["comment"] = "\n".join(filter(None, [keep, item.comment]))
    return fields


def _new_fields(item: ParsedActivity) -> dict:
    return {
        "goal_and_tasks": item.goal_and_tasks,
        "place_and_format": item.place_and_format,
        "planned_result": item.planned_result,
        "result_document": item.result_document,
        "target_audience": item.target_audience,
        "links": "\n".join(item.links),
        "comment": item.comment,
        "responsible_text": row_values(item)["responsible"],
        "deadline_text": item.deadline_text,
        "revision_note": "\n".join(item.revision_refs),
    }


def _section_for(row: Row, sections: dict[str, Section], plan: UpdatePlan, placed: dict[str, Section | None]):
    """The section of the same heading, else that of the activity above it in the file, else none."""
    if row.heading in sections:
        return sections[row.heading]
    if row.after in placed:
        return placed[row.after]
    above = plan.activities.get(row.after)
    return above.section if above is not None else None


@transaction.atomic
def roadmap_update_apply(
    *, actor, roadmap: Roadmap, parsed: ParsedRoadmap, fingerprint: str, confirm_removals: bool
) -> UpdatePlan:
    """Apply the file as previewed: removals (only with `confirm_removals`; activities with reports stay),
    changes, then additions, each through its service. Refused as a whole — nothing written — when a row
    of the file is refused (ValidationError), or when the roadmap changed since the preview whose
    `fingerprint` is given (`UpdateOutdated`); an approved roadmap needs its edition open (RoadmapLocked)."""
    roadmap = Roadmap.objects.select_for_update().select_related("owner").get(pk=roadmap.pk)
    lifecycle.structure_edition(roadmap)
    plan = roadmap_update_plan(roadmap=roadmap, parsed=parsed)
    if plan.fingerprint != fingerprint:
        raise UpdateOutdated(OUTDATED)
    if plan.diff.refused:
        raise ValidationError(REFUSED)
    if plan.removable and not confirm_removals:
        raise ValidationError(CONFIRM_REMOVALS)
    for item in plan.removable:
        activity_delete(actor=actor, activity=plan.activities[item.key])
    for change in plan.diff.changed:
        activity = plan.activities[change.key]
        fields = _fields(activity, plan.parsed[change.key], {f.field for f in change.fields})
        try:
            activity_update(actor=actor, activity=activity, expected_version=activity.version, **fields)
        except ConcurrentEditError:  # saved by someone between the plan and its row lock
            raise UpdateOutdated(OUTDATED) from None
    sections = {}
    for section in Section.objects.filter(roadmap=roadmap).order_by("position", "pk"):
        sections.setdefault(section.title, section)
    placed: dict[str, Section | None] = {}
    for row in plan.diff.added:
        item = plan.parsed[row.key]
        section = _section_for(row, sections, plan, placed)
        placed[row.key] = section
        activity_create(
            actor=actor,
            roadmap=roadmap,
            number=row.number,
            title=item.title,
            section=section,
            **_new_fields(item),
        )
    return plan
