"""Saving a parsed document as a roadmap: organisations matched first, all written in one transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization
from roadmaps.data_version import roadmaps_data_changed
from roadmaps.deadlines import parse_deadline
from roadmaps.importing.errors import ImportRefused
from roadmaps.importing.parsed import ParsedAct, ParsedActivity, ParsedIndicator, ParsedRoadmap
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointTransition,
    ImportConfirmation,
    Indicator,
    IndicatorTarget,
    LegalAct,
    Responsibility,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.numbering import number_sort_key
from roadmaps.participation import participants_rebuild

_ACT_KINDS = {"постановлени": "decree", "распоряжени": "directive", "приказ": "order"}
_QUOTES = re.compile(r"[«»\"“”„']")


def normalize_name(name: str) -> str:
    return " ".join(_QUOTES.sub("", name).lower().replace("ё", "е").split())


@dataclass
class OrganizationMatches:
    """Responsible names from the document → organisations found; `unknown` must be mapped or created."""

    found: dict[str, Organization] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def match_organizations(parsed: ParsedRoadmap, *, owner: Organization) -> OrganizationMatches:
    """Match every responsible name by short name, full name or a known alias, within the owner's region."""
    names = sorted({r.name for a in parsed.activities for r in a.responsible if r.name})
    candidates = Organization.objects.filter(Q(region_id=owner.region_id) | Q(region__isnull=True))
    index: dict[str, Organization] = {}
    for organization in candidates.only("id", "short_name", "full_name", "aliases", "path"):
        for alias in [organization.short_name, organization.full_name, *organization.aliases.splitlines()]:
            if alias.strip():
                index.setdefault(normalize_name(alias), organization)
    matches = OrganizationMatches()
    for name in names:
        organization = index.get(normalize_name(name))
        if organization is None:
            matches.unknown.append(name)
        else:
            matches.found[name] = organization
    return matches


def duplicate_numbers(parsed: ParsedRoadmap) -> list[str]:
    """Activity numbers that occur more than once: a roadmap needs each number once."""
    seen: set[str] = set()
    repeated: list[str] = []
    for activity in parsed.activities:
        if activity.number and activity.number in seen and activity.number not in repeated:
            repeated.append(activity.number)
        seen.add(activity.number)
    return repeated


def effective_period(parsed: ParsedRoadmap) -> tuple[int, int]:
    """The document's period, or the current year when it names none (staff can change it later)."""
    year = timezone.localdate().year
    return parsed.period or (year, year)


def _legal_act(act: ParsedAct) -> LegalAct | None:
    if act.date is None or not act.number:
        return None
    kind = next((code for stem, code in _ACT_KINDS.items() if stem in act.kind.lower()), "other")
    return LegalAct.objects.create(
        kind=kind, number=act.number[:64], date=act.date, issuer=act.issuer[:500], title=act.text[:1000]
    )


def _sections(roadmap: Roadmap, parsed: ParsedRoadmap) -> list[Section]:
    """Sections of any depth in the two levels the model holds (a group and its sections).

    The top heading above a section becomes its group; headings between the group and the section
    are joined into the section's title with « — » («Цель 1. … — Задача 1.1. … — Раздел»), so no
    heading is lost and the order stays the document's. A section with no heading above it is a
    top-level section."""
    groups: dict[str, Section] = {}
    result = []
    for position, parsed_section in enumerate(parsed.sections, start=1):
        parent = None
        if parsed_section.ancestors:
            top = parsed_section.ancestors[0].text
            parent = groups.get(top)
            if parent is None:
                parent = Section.objects.create(roadmap=roadmap, title=top[:1000], position=position * 10 - 5)
                groups[top] = parent
        middle = [heading.text for heading in parsed_section.ancestors[1:]]
        own = parsed_section.title or ("" if middle else "Без раздела")
        title = " — ".join([*middle, own] if own else middle)
        result.append(
            Section.objects.create(
                roadmap=roadmap,
                parent=parent,
                number=parsed_section.number[:32],
                title=title[:1000],
                position=position * 10,
            )
        )
    return result


def _indicators(
    roadmap: Roadmap, parsed_indicators: list[ParsedIndicator], activity: Activity | None = None
) -> list[IndicatorTarget]:
    """Create the indicators (of an activity, or of the roadmap itself); returns their yearly targets."""
    targets = []
    for position, parsed_indicator in enumerate(parsed_indicators):
        indicator = Indicator.objects.create(
            roadmap=roadmap,
            activity=activity,
            name=parsed_indicator.name,
            unit=parsed_indicator.unit[:32] or "%",
            position=position,
        )
        targets.extend(
            IndicatorTarget(indicator=indicator, year=y, value=v)
            for y, v in sorted(parsed_indicator.targets.items())
        )
    return targets


def stored_number(item: ParsedActivity) -> str:
    """The number as the document writes it («1.1.»), unless the importer had to change it — numbering
    restarted in each section («II.1») or no «№» column («3») — then the importer's number."""
    return item.number if item.renumbered else item.number_as_written


def _activity(roadmap: Roadmap, section: Section, item: ParsedActivity, fallback_number: str) -> Activity:
    schedule = parse_deadline(item.deadline_text, period=roadmap.period)
    number = (stored_number(item) or fallback_number)[:32]
    comment = item.comment
    if item.number_as_written and number != item.number_as_written:
        comment = "\n".join(filter(None, [f"№ в документе: {item.number_as_written}", comment]))
    return Activity(
        roadmap=roadmap,
        section=section,
        number=number,
        sort_key=number_sort_key(number),
        title=item.title,
        goal_and_tasks=item.goal_and_tasks,
        place_and_format=item.place_and_format,
        planned_result=item.planned_result,
        result_document=item.result_document[:500],
        target_audience=item.target_audience,
        links="\n".join(item.links),
        comment=comment,
        responsible_text=item.responsible_text,
        deadline_text=item.deadline_text,
        schedule_kind=schedule.kind,
        schedule_description=schedule.describe()[:255],
        schedule_problems=list(schedule.problems),
        revision_note="\n".join(item.revision_refs),
    )


def _checkpoints(activity: Activity, item: ParsedActivity, actor) -> list[Checkpoint]:
    schedule = parse_deadline(activity.deadline_text, period=activity.roadmap.period)
    rows = [
        Checkpoint(
            activity=activity,
            sequence=n,
            planned_start=o.start,
            planned_due=o.due,
            period_label=o.label[:100],
        )
        for n, o in enumerate(schedule.occurrences, start=1)
    ]
    if item.actual_text or item.done:
        _mark_reported(activity, rows, item, actor)
    return rows


def _mark_reported(activity: Activity, rows: list[Checkpoint], item: ParsedActivity, actor) -> None:
    """The document already reports this activity: its last due checkpoint becomes «на проверке»."""
    actual = parse_deadline(item.actual_text, period=activity.roadmap.period) if item.actual_text else None
    actual_date = None
    if actual and actual.occurrences:
        actual_date = actual.occurrences[-1].due or actual.occurrences[-1].start
    target = None
    if rows:
        due_before = [c for c in rows if actual_date and c.planned_due and c.planned_due <= actual_date]
        target = (due_before or rows)[-1]
    else:
        target = Checkpoint(activity=activity, sequence=1, period_label="по отчёту")
        rows.append(target)
    target.status = Checkpoint.Status.REPORTED
    target.actual_date = actual_date
    target.actual_text = (item.actual_text or "выполнено")[:255]
    target.result = item.planned_result
    target.reported_by = actor
    target.reported_at = timezone.now()


@transaction.atomic
def roadmap_import(
    *,
    actor,
    parsed: ParsedRoadmap,
    owner: Organization,
    mapping: dict[str, Organization] | None = None,
    create: Iterable[str] = (),
    title: str = "",
    token: str = "",
) -> Roadmap:
    """Save a parsed document as a roadmap of `owner`; any error rolls the whole import back.

    Responsible names are matched to organisations; `mapping` overrides matches and names in `create` become
    new organisations under the owner; names still unknown stay only in the activity's responsible text.
    """
    confirmation = _redeem(token, actor) if token else None
    if repeated := duplicate_numbers(parsed):
        raise ImportRefused(
            "Номера мероприятий повторяются: " + ", ".join(repeated) + ". Исправьте нумерацию в файле."
        )
    year_start, year_end = effective_period(parsed)
    roadmap = Roadmap(
        owner=owner,
        title=(title or parsed.title or "Импортированная дорожная карта")[:1000],
        year_start=year_start,
        year_end=year_end,
        goal=parsed.goal,
        tasks=parsed.tasks,
        expected_results=parsed.expected_results,
    )
    roadmap.full_clean()
    roadmap._history_user = actor
    roadmap.save()
    if parsed.approving_act and (act := _legal_act(parsed.approving_act)):
        roadmap.approved_by_act = act
        roadmap.status = Roadmap.Status.APPROVED
        roadmap.save(update_fields=["approved_by_act", "status"])
    for revision in parsed.revisions:
        act = _legal_act(revision)
        if act is not None:
            Revision.objects.create(
                roadmap=roadmap, act=act, date=act.date, summary=revision.text or str(act), created_by=actor
            )

    organizations = _resolve_organizations(parsed, owner, mapping or {}, create)
    sections = _sections(roadmap, parsed)
    activities: list[Activity] = []
    items: list[ParsedActivity] = []
    for section, parsed_section in zip(sections, parsed.sections, strict=True):
        for item in parsed_section.activities:
            activities.append(_activity(roadmap, section, item, fallback_number=f"{len(activities) + 1}."))
            items.append(item)
    activities = bulk_create_with_history(activities, Activity, default_user=actor, batch_size=1000)
    if activities and activities[0].pk is None:  # backends that do not return ids from bulk inserts
        activities = list(roadmap.activities.order_by("pk"))

    checkpoints, responsibilities, targets = [], [], []
    for activity, item in zip(activities, items, strict=True):
        checkpoints.extend(_checkpoints(activity, item, actor))
        seen: set[int] = set()
        for position, responsible in enumerate(item.responsible):
            organization = organizations.get(responsible.name)
            if organization is None or organization.pk in seen:
                continue
            seen.add(organization.pk)
            responsibilities.append(
                Responsibility(
                    activity=activity,
                    organization=organization,
                    by_agreement=responsible.by_agreement,
                    person=responsible.person[:255],
                    position=position,
                    role=Responsibility.Role.LEAD if position == 0 else Responsibility.Role.CO_EXECUTOR,
                )
            )
        targets.extend(_indicators(roadmap, item.indicators, activity=activity))
    targets.extend(_indicators(roadmap, parsed.indicators))  # a table of the programme's indicators only
    bulk_create_with_history(checkpoints, Checkpoint, default_user=actor, batch_size=2000)
    _record_reported(checkpoints, roadmap, actor)
    bulk_create_with_history(responsibilities, Responsibility, default_user=actor, batch_size=2000)
    bulk_create_with_history(targets, IndicatorTarget, default_user=actor)
    roadmaps_data_changed([roadmap.pk])  # the bulk inserts above send no signals
    participants_rebuild([roadmap.pk])
    if confirmation is not None:
        confirmation.roadmap = roadmap
        confirmation.save(update_fields=["roadmap"])
    return roadmap


def _redeem(token: str, actor) -> ImportConfirmation:
    """Consume an upload token once: a second confirm waits for the first to commit, then is refused."""
    try:
        with transaction.atomic():
            return ImportConfirmation.objects.create(token=token, confirmed_by=actor)
    except IntegrityError as exc:
        raise ImportRefused("Этот файл уже импортирован — откройте дорожную карту в списке.") from exc


def _record_reported(checkpoints: list[Checkpoint], roadmap: Roadmap, actor) -> None:
    """The transitions of the checkpoints the document already reports (see `_mark_reported`)."""
    reported = [c for c in checkpoints if c.status == Checkpoint.Status.REPORTED]
    if reported and reported[0].pk is None:  # backends that do not return ids from bulk inserts
        reported = list(
            Checkpoint.objects.filter(activity__roadmap=roadmap, status=Checkpoint.Status.REPORTED)
        )
    CheckpointTransition.objects.bulk_create(
        CheckpointTransition(checkpoint_id=c.pk, status=c.status, at=c.reported_at, actor=actor)
        for c in reported
    )


def _resolve_organizations(
    parsed: ParsedRoadmap, owner: Organization, mapping: dict[str, Organization], create: Iterable[str]
) -> dict[str, Organization]:
    resolved = {**match_organizations(parsed, owner=owner).found, **mapping}
    for name in create:
        if name not in resolved:
            resolved[name] = Organization.objects.create(
                full_name=name[:500],
                short_name=name[:150],
                kind=Organization.Kind.OTHER,
                parent=owner,
                region=owner.region,
            )
    return resolved
