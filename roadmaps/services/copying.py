"""«Создать на следующий год»: a new draft roadmap made from an existing one, its period moved by N years.

What is copied: the passport (title as the person typed it, owner, project, level, goal, tasks, expected
results), the sections with their nesting, every activity's descriptive fields and number, its
responsibilities, the indicators with their targets (the roadmap's and each organisation's). Explicit
years and dates in deadline wordings move with the period (roadmaps/deadlines/shift.py), and the
checkpoints are generated fresh from the new wordings, as the importer does.

What is not copied: reports, evidence, comments, checkpoints set by hand, amendment notes of the old
document («в ред. …»), and the old roadmap's editions. Targets for years outside the new period are
dropped.

Everything that changed or was left out is listed, for a person to review, in the new draft's
`copy_review` (shown on its page): each entry `{"subject", "before", "after", "note"}`.

A fixed number of queries whatever the roadmap's size: every table is read once and written in batches.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from roadmaps.data_version import roadmaps_data_changed
from roadmaps.deadlines.shift import shift_years
from roadmaps.models import Activity, IndicatorTarget, Responsibility, Roadmap, Section
from roadmaps.services.activities import activities_create, responsibilities_create
from roadmaps.services.indicators import indicators_create
from roadmaps.services.roadmaps import roadmap_create

MAX_YEARS = 10
# Copied as they are; the deadline wording is moved, the section mapped to the copy's.
COPIED_ACTIVITY_FIELDS = (
    "number",
    "title",
    "goal_and_tasks",
    "place_and_format",
    "planned_result",
    "result_document",
    "target_audience",
    "links",
    "comment",
    "responsible_text",
    "unscheduled_reason",
)


def default_copy_title(source: Roadmap, years: int) -> str:
    """The old title with its years moved; without years in it, the new period is added."""
    shifted = shift_years(source.title, years)
    if shifted.changed:
        return shifted.text[:1000]
    start, end = source.year_start + years, source.year_end + years
    period = str(start) if start == end else f"{start}–{end}"
    return f"{source.title} ({period})"[:1000]


def _entry(subject: str, *, before: str = "", after: str = "", note: str = "") -> dict:
    return {"subject": subject[:300], "before": before, "after": after, "note": note}


@transaction.atomic
def roadmap_copy(*, actor, source: Roadmap, years: int = 1, title: str = "") -> Roadmap:
    """A new draft of `source`'s owner for the period moved by `years`; see the module's docstring.
    One transaction: nothing is written when any part is refused."""
    if not isinstance(years, int) or not 1 <= abs(years) <= MAX_YEARS:
        raise ValidationError({"years": f"Сдвиг периода — от 1 до {MAX_YEARS} лет."})
    title = (title or "").strip() or default_copy_title(source, years)
    year_start, year_end = source.year_start + years, source.year_end + years
    review: list[dict] = []

    sections = list(Section.objects.filter(roadmap=source).order_by("position", "pk"))
    activities = list(Activity.objects.filter(roadmap=source).order_by("sort_key", "pk"))
    responsibilities = list(
        Responsibility.objects.filter(activity__roadmap=source)
        .select_related("organization")
        .order_by("activity_id", "position", "pk")
    )
    indicators = list(source.indicators.order_by("position", "pk"))
    targets = list(
        IndicatorTarget.objects.filter(indicator__roadmap=source).order_by("indicator_id", "year", "pk")
    )
    by_hand = set(
        source.activities.filter(schedule_by_hand=True).values_list("pk", flat=True)
    )  # their hand-set checkpoints are not copied

    roadmap = roadmap_create(
        actor=actor, owner=source.owner, title=title, year_start=year_start, year_end=year_end,
        project=source.project, level=source.level, goal=source.goal, tasks=source.tasks,
        expected_results=source.expected_results, copied_from=source,
    )  # fmt: skip

    new_sections = _copy_sections(actor, roadmap, sections)

    fields: list[dict] = []
    for activity in activities:
        shifted = shift_years(activity.deadline_text, years)
        label = f"Мероприятие {activity.number}"
        if shifted.changed:
            review.append(
                _entry(
                    label, before=activity.deadline_text, after=shifted.text, note="; ".join(shifted.notes)
                ),
            )
        if activity.pk in by_hand:
            review.append(
                _entry(label, note="контрольные точки были заданы вручную: проверьте сроки, созданные заново")
            )
        fields.append(
            {
                **{name: getattr(activity, name) for name in COPIED_ACTIVITY_FIELDS},
                "section": new_sections.get(activity.section_id),
                "deadline_text": shifted.text,
            }
        )
    created = activities_create(actor=actor, roadmap=roadmap, activities=fields)
    new_activity = {old.pk: new for old, new in zip(activities, created, strict=True)}

    responsibilities_create(
        actor=actor,
        responsibilities=[
            Responsibility(
                activity=new_activity[item.activity_id],
                organization=item.organization,
                role=item.role,
                by_agreement=item.by_agreement,
                person=item.person,
            )
            for item in responsibilities
        ],
    )

    targets_of: dict[int, list[IndicatorTarget]] = defaultdict(list)
    for target in targets:
        targets_of[target.indicator_id].append(target)
    indicator_fields, organization_targets = [], []
    for indicator in indicators:
        own, kept = {}, []
        for target in targets_of[indicator.pk]:
            year = target.year + years
            if not year_start <= year <= year_end:
                whose = f" ({target.organization})" if target.organization_id else ""
                review.append(
                    _entry(
                        f"Показатель «{indicator.name[:200]}»",
                        before=f"{target.year}: {target.value}{whose}",
                        note=f"{year} год вне периода {year_start}–{year_end}: значение не перенесено",
                    )
                )
            elif target.organization_id is None:
                own[year] = target.value
            else:
                kept.append((target, year))
        indicator_fields.append(
            {
                "name": indicator.name, "unit": indicator.unit, "base_value": indicator.base_value,
                "base_year": indicator.base_year, "aggregation": indicator.aggregation_applied,
                "activity": new_activity.get(indicator.activity_id), "targets": own,
            }
        )  # fmt: skip
        organization_targets.append(kept)
    new_indicators = indicators_create(actor=actor, roadmap=roadmap, indicators=indicator_fields)
    copies = [
        IndicatorTarget(indicator=new, organization_id=target.organization_id, year=year, value=target.value)
        for new, kept in zip(new_indicators, organization_targets, strict=True)
        for target, year in kept
    ]
    if copies:
        bulk_create_with_history(copies, IndicatorTarget, default_user=actor, batch_size=2000)
        roadmaps_data_changed([roadmap.pk])

    if review:
        roadmap.copy_review = review
        Roadmap.objects.filter(pk=roadmap.pk).update(copy_review=review)
    return roadmap


def _copy_sections(actor, roadmap: Roadmap, sections: list[Section]) -> dict[int, Section]:
    """The sections level by level (a parent is inserted before its subsections): old pk → new section."""
    by_pk = {section.pk: section for section in sections}

    def depth(section: Section) -> int:
        level, above = 0, section
        while above.parent_id in by_pk and level < Section.MAX_DEPTH:
            level, above = level + 1, by_pk[above.parent_id]
        return level

    levels: dict[int, list[Section]] = defaultdict(list)
    for section in sections:
        levels[depth(section)].append(section)
    new: dict[int, Section] = {}
    for level in sorted(levels):
        items = [
            Section(
                roadmap=roadmap,
                parent=new.get(old.parent_id),
                number=old.number,
                title=old.title,
                position=old.position,
            )
            for old in levels[level]
        ]
        for item in items:
            item.full_clean(exclude=["roadmap", "parent"])
        created = bulk_create_with_history(items, Section, default_user=actor, batch_size=1000)
        new.update({old.pk: item for old, item in zip(levels[level], created, strict=True)})
    return new
