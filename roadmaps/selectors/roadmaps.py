"""Roadmap list, roadmap page and activity page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from organizations.models import Organization
from roadmaps.models import (
    Activity,
    Checkpoint,
    Evidence,
    Responsibility,
    Revision,
    RevisionChange,
    Roadmap,
    Section,
)
from roadmaps.outcomes import OPEN, RETURNED, STATUS_LABELS, STATUSES

# --- Roadmap list -----------------------------------------------------------------------------------


def roadmap_list(*, visible: QuerySet[Roadmap]) -> QuerySet[Roadmap]:
    """Roadmaps for the list screen; counts are added per page by `roadmap_activity_counts`."""
    return visible.select_related("owner", "project").order_by("-year_start", "title", "pk")


def roadmap_activity_counts(*, roadmap_ids: list[int]) -> dict[int, int]:
    rows = Activity.objects.filter(roadmap_id__in=roadmap_ids).values("roadmap_id").annotate(n=Count("pk"))
    return {row["roadmap_id"]: row["n"] for row in rows.order_by()}


# --- Roadmap page -----------------------------------------------------------------------------------


@dataclass
class SectionBlock:
    """One section of the page's flat list: `level` 0 at the top, 1 under one heading, and so on."""

    section: Section | None
    activities: list[Activity] = field(default_factory=list)
    is_group: bool = False
    level: int = 0


def section_tree(sections: list[Section]) -> list[tuple[Section, int, bool]]:
    """Sections in the document's order, each heading followed by what it holds: (section, level, has
    subsections), built in Python from one list. A section whose parent is missing from the list is
    shown at the top rather than lost."""
    present = {section.pk for section in sections}
    children: dict[int | None, list[Section]] = defaultdict(list)
    for section in sections:  # already in position order
        children[section.parent_id if section.parent_id in present else None].append(section)
    result: list[tuple[Section, int, bool]] = []
    stack = [(section, 0) for section in reversed(children[None])]
    seen: set[int] = set()
    while stack:
        section, level = stack.pop()
        if section.pk in seen:  # a looped chain is shown once
            continue
        seen.add(section.pk)
        result.append((section, level, bool(children[section.pk])))
        stack.extend((child, level + 1) for child in reversed(children[section.pk]))
    return result


@dataclass
class RoadmapPage:
    roadmap: Roadmap
    blocks: list[SectionBlock]
    sections: list[Section]
    revisions: list[Revision]
    activity_count: int
    totals: dict[str, int]
    review_count: int = 0  # activities in «Требует проверки», from the rows and counts above: no query

    @property
    def draft_edition(self) -> Revision | None:
        """The edition changes to an approved roadmap are recorded in, when one is open."""
        return next((r for r in self.revisions if r.status == Revision.Status.DRAFT), None)

    @property
    def structure_editable(self) -> bool:
        """A draft, or an approved roadmap with its draft edition open."""
        status = self.roadmap.status
        return status == Roadmap.Status.DRAFT or (
            status == Roadmap.Status.APPROVED and bool(self.draft_edition)
        )


def _status_counts_by_activity(activity_filter: Q, today: datetime.date | None) -> dict[int, dict[str, int]]:
    """Counts by status per activity; nothing is overdue without a `today` (an archived roadmap)."""
    overdue = Q(status__in=OPEN, planned_due__lt=today) if today else Q(pk__in=[])
    rows = (
        Checkpoint.objects.filter(activity_filter)
        .values("activity_id")
        .annotate(
            **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
            overdue=Count("pk", filter=overdue),
            mismatch=Count("pk", filter=~Q(schedule_mismatch="")),
            total=Count("pk"),
        )
        .order_by()
    )
    return {row.pop("activity_id"): row for row in rows}


# Only what the roadmap page shows: building fewer fields per row matters at hundreds of rows.
_PAGE_ACTIVITY_FIELDS = (
    "id",
    "roadmap_id",
    "section_id",
    "number",
    "sort_key",
    "title",
    "planned_result",
    "responsible_text",
    "deadline_text",
    "schedule_kind",
    "schedule_description",
    "schedule_problems",
    "schedule_by_hand",
    "unscheduled_reason",
)


# A row names its first few organisations and how many more there are; all of them are on the activity page.
# A regional roadmap assigns an activity to dozens of schools: listing them all built 4,000 objects per page.
RESPONSIBLE_SHOWN = 5


@dataclass(frozen=True)
class ResponsibleName:
    name: str
    co: bool
    by_agreement: bool


def _responsible_names(roadmap: Roadmap) -> tuple[dict[int, list[ResponsibleName]], dict[int, int]]:
    """The first RESPONSIBLE_SHOWN organisations of every activity, and the count of the others."""
    shown: dict[int, list[ResponsibleName]] = defaultdict(list)
    more: dict[int, int] = defaultdict(int)
    rows = (
        Responsibility.objects.filter(activity__roadmap=roadmap)
        .order_by("activity_id", "position", "pk")
        .values_list("activity_id", "organization__short_name", "role", "by_agreement")
    )
    for activity_id, name, role, by_agreement in rows:
        names = shown[activity_id]
        if len(names) < RESPONSIBLE_SHOWN:
            names.append(ResponsibleName(name, role == Responsibility.Role.CO_EXECUTOR, by_agreement))
        else:
            more[activity_id] += 1
    return shown, more


def roadmap_get_page(*, roadmap: Roadmap, today: datetime.date) -> RoadmapPage:
    """Sections, activities with responsible organisations and checkpoint counts by status.

    Queries: sections; activities; the responsible organisations' names; checkpoint counts grouped by
    activity; revisions with acts — five, for any number of activities.
    """
    sections = list(roadmap.sections.order_by("position", "pk"))
    activities = list(roadmap.activities.in_roadmap_order().only(*_PAGE_ACTIVITY_FIELDS))
    responsible, more_responsible = _responsible_names(roadmap)
    archived = roadmap.status == Roadmap.Status.ARCHIVED
    counts = _status_counts_by_activity(Q(activity__roadmap=roadmap), None if archived else today)
    empty = dict.fromkeys((*STATUSES, "overdue", "mismatch", "total"), 0)
    totals = dict(empty)
    by_section: dict[int | None, list[Activity]] = defaultdict(list)
    approved = roadmap.status == Roadmap.Status.APPROVED
    review_count = 0
    for activity in activities:
        activity.responsible_names = responsible.get(activity.pk, [])
        activity.more_responsible = more_responsible.get(activity.pk, 0)
        activity.counts = counts.get(activity.pk, empty)
        for key, value in activity.counts.items():
            totals[key] += value
        by_section[activity.section_id].append(activity)
        review_count += bool(
            activity.review_reasons(has_checkpoints=activity.counts["total"] > 0, approved=approved)
        )

    blocks: list[SectionBlock] = []
    if by_section.get(None):
        blocks.append(SectionBlock(section=None, activities=by_section[None]))
    blocks.extend(
        SectionBlock(section=section, activities=by_section.get(section.pk, []), is_group=group, level=level)
        for section, level, group in section_tree(sections)
    )
    revisions = list(roadmap.revisions.select_related("act").order_by("-date", "-pk"))
    return RoadmapPage(
        roadmap=roadmap,
        blocks=blocks,
        sections=sections,
        revisions=revisions,
        activity_count=len(activities),
        totals=totals,
        review_count=review_count,
    )


def assignable_organizations(*, roadmap: Roadmap) -> QuerySet[Organization]:
    """Organisations staff may make responsible: the owner's subtree, those still active."""
    return (
        Organization.objects.active()
        .subtree_of(roadmap.owner)
        .only("pk", "short_name", "path")
        .order_by("short_name")
    )


# --- Activity page ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: Any
    what: str
    changes: list[tuple[str, Any, Any]]


def _diff(records: list, fields: list[tuple[str, str]]) -> list[tuple[Any, list[tuple[str, Any, Any]]]]:
    result = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for name, label in fields:
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    changes.append((label, old, new))
        result.append((record, changes))
        previous = record
    return result


_ACTIVITY_FIELDS = [
    (name, Activity._meta.get_field(name).verbose_name)
    for name in (
        "number",
        "title",
        "deadline_text",
        "planned_result",
        "result_document",
        "responsible_text",
        "goal_and_tasks",
        "place_and_format",
        "target_audience",
        "comment",
    )
]


_ROLE_LABELS = dict(Responsibility.Role.choices)
_PERSON_LABEL = Responsibility._meta.get_field("person").verbose_name


def _responsibility_entry(record, previous) -> HistoryEntry | None:
    """«Ответственный «СОШ № 1» назначен (соисполнитель, по согласованию)», «… снят», «…: роль изменена на …»;
    None when only what a reader does not see changed (the order, the version)."""
    name = f"Ответственный «{record.organization or '—'}»"
    terms = _ROLE_LABELS.get(record.role, record.role) + (", по согласованию" if record.by_agreement else "")
    changes = []
    if record.history_type == "-":
        what = f"{name} снят"
    elif record.history_type == "+" or previous is None:  # no earlier row: it came with a bulk import
        what = f"{name} {'назначен' if record.history_type == '+' else 'изменён'} ({terms})"
        if record.person:
            changes.append((_PERSON_LABEL, "", record.person))
    else:
        said = []
        if record.role != previous.role:
            said.append(f"роль изменена на «{_ROLE_LABELS.get(record.role, record.role)}»")
        if record.by_agreement != previous.by_agreement:
            said.append(
                "отмечено «по согласованию»" if record.by_agreement else "снята отметка «по согласованию»"
            )
        if record.person != previous.person:
            changes.append((_PERSON_LABEL, previous.person, record.person))
        if not said and not changes:
            return None
        what = f"{name}: {', '.join(said)}" if said else f"{name} изменён"
    return HistoryEntry(record.history_date, record.history_user, what, changes)


def activity_get_page(*, activity: Activity) -> dict[str, Any]:
    """Activity with responsibilities, checkpoints (with evidence) and the merged change history.

    Queries: responsibilities; checkpoints; evidence; activity history; checkpoint history;
    responsibility history with organisations (removed responsibilities included).
    """
    responsibilities = list(
        activity.responsibilities.select_related("organization").order_by("position", "pk")
    )
    checkpoints = list(
        activity.checkpoints.select_related("reported_by", "verified_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
    )
    activity_records = list(
        activity.history.select_related("history_user").order_by("history_date", "history_id")
    )
    checkpoint_records = list(
        Checkpoint.history.filter(activity_id=activity.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    responsibility_records = list(
        Responsibility.history.filter(activity_id=activity.pk)
        .select_related("history_user", "organization")
        .order_by("id", "history_date", "history_id")
    )
    history: list[HistoryEntry] = []
    for record, changes in _diff(activity_records, _ACTIVITY_FIELDS):
        what = "Мероприятие создано" if record.history_type == "+" else "Мероприятие изменено"
        if record.history_type == "-":
            what = "Мероприятие удалено"
        history.append(HistoryEntry(record.history_date, record.history_user, what, changes))
    by_checkpoint: dict[int, list] = defaultdict(list)
    for record in checkpoint_records:
        by_checkpoint[record.id].append(record)
    for records in by_checkpoint.values():
        previous_status = None
        for record in records:
            if record.status == previous_status and record.history_type == "~":
                continue
            label = record.period_label or "без срока"
            what = f"Контрольная точка «{label}»: {STATUS_LABELS.get(record.status, record.status)}"
            if record.status == RETURNED and record.return_reason:
                what += f" — {record.return_reason}"
            history.append(HistoryEntry(record.history_date, record.history_user, what, []))
            previous_status = record.status
    previous = None
    for record in responsibility_records:
        entry = _responsibility_entry(record, previous if previous and previous.id == record.id else None)
        if entry is not None:
            history.append(entry)
        previous = record
    history.sort(key=lambda entry: entry.when, reverse=True)
    return {"responsibilities": responsibilities, "checkpoints": checkpoints, "history": history}


def revision_changes(*, revision: Revision) -> list[RevisionChange]:
    """The changes made within an edition, in order, with who made them (one query)."""
    return list(revision.changes.select_related("actor").order_by("at", "pk"))
