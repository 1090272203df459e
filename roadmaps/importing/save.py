"""Saving a parsed document as a roadmap: organisations matched, then every write made by the roadmap
services (the same rules as the browser), all in one transaction. Only the mapping lives here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Organization, OrganizationAlias
from organizations.names import normalize_name
from organizations.services import organization_aliases_add, organization_create
from projects.models import Project
from roadmaps.deadlines import parse_deadline
from roadmaps.importing.errors import ImportRefused
from roadmaps.importing.parsed import ParsedAct, ParsedActivity, ParsedIndicator, ParsedRoadmap, ParsedSection
from roadmaps.models import Activity, ImportConfirmation, LegalAct, Responsibility, Roadmap, Section
from roadmaps.services.activities import activities_create, responsibilities_create, section_create
from roadmaps.services.checkpoints import DocumentReport, checkpoints_report_from_document
from roadmaps.services.indicators import indicators_create
from roadmaps.services.roadmaps import revision_record, roadmap_approve, roadmap_create

_ACT_KINDS = {"постановлени": "decree", "распоряжени": "directive", "приказ": "order"}


@dataclass
class OrganizationMatches:
    """Responsible names from the document → organisations found; `unknown` must be mapped or created."""

    found: dict[str, Organization] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def match_organizations(parsed: ParsedRoadmap, *, owner: Organization) -> OrganizationMatches:
    """Match every responsible name by short name, full name or a known spelling (OrganizationAlias: typed
    by staff on the organisation's form or confirmed on earlier imports), within the owner's region; where two
    organisations answer to one spelling, the one in the owner's subtree wins. Two queries."""
    names = sorted({r.name for a in parsed.activities for r in a.responsible if r.name})
    # Deactivated organisations are not matched: a new document names only those that still work.
    in_region = (Q(region_id=owner.region_id) | Q(region__isnull=True)) & Q(is_active=True)
    candidates = {
        o.pk: o for o in Organization.objects.filter(in_region).only("id", "short_name", "full_name", "path")
    }
    spellings: dict[int, list[str]] = {}
    for normalized, organization_id in OrganizationAlias.objects.filter(
        organization_id__in=Organization.objects.filter(in_region).values("pk")
    ).values_list("normalized", "organization_id"):
        spellings.setdefault(organization_id, []).append(normalized)
    index: dict[str, Organization] = {}
    ordered = sorted(candidates.values(), key=lambda o: not o.path.startswith(owner.path or "/"))  # stable
    for organization in ordered:
        known = [organization.short_name, organization.full_name]
        for alias in [*map(normalize_name, known), *spellings.get(organization.pk, [])]:
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


def approving_act(parsed: ParsedRoadmap) -> LegalAct | None:
    """The act the document says approved it, when it gives the act's number and date (unsaved)."""
    return _legal_act(parsed.approving_act) if parsed.approving_act else None


def _legal_act(act: ParsedAct) -> LegalAct | None:
    """The act as an unsaved LegalAct (the service approving or recording with it saves it), or None when
    the document does not give its number and date."""
    if act.date is None or not act.number:
        return None
    kind = next((code for stem, code in _ACT_KINDS.items() if stem in act.kind.lower()), "other")
    return LegalAct(
        kind=kind, number=act.number[:64], date=act.date, issuer=act.issuer[:500], title=act.text[:1000]
    )


def _heading_chain(parsed_section: ParsedSection) -> list[str]:
    """The headings above a section as nested sections hold them: a chain deeper than the model allows
    keeps its top levels and joins the rest into the deepest one with « — », so no heading is lost."""
    texts = [heading.text for heading in parsed_section.ancestors]
    room = Section.MAX_DEPTH - (1 if (parsed_section.title or parsed_section.number) else 0)
    if len(texts) > room:
        texts = [*texts[: room - 1], " — ".join(texts[room - 1 :])]
    return texts


def _sections(actor, roadmap: Roadmap, parsed: ParsedRoadmap) -> list[Section]:
    """The document's headings of any depth as nested sections; returns the section each parsed section's
    activities go in. A heading met again under the same headings is the same section; a section with
    neither title nor number holds its activities in the heading above it."""
    made: dict[tuple[str, ...], Section] = {}
    result = []
    for parsed_section in parsed.sections:
        parent, path = None, ()
        for text in _heading_chain(parsed_section):
            path = (*path, text)
            if path not in made:
                made[path] = section_create(actor=actor, roadmap=roadmap, parent=parent, title=text[:1000])
            parent = made[path]
        if parent is not None and not (parsed_section.title or parsed_section.number):
            result.append(parent)
            continue
        result.append(
            section_create(
                actor=actor,
                roadmap=roadmap,
                parent=parent,
                number=parsed_section.number[:32],
                title=(parsed_section.title or "Без раздела")[:1000],
            )
        )
    return result


def _indicator_fields(
    parsed_indicators: list[ParsedIndicator], activity: Activity | None = None
) -> list[dict]:
    return [
        {
            "name": parsed_indicator.name,
            "unit": parsed_indicator.unit[:32] or "%",
            "activity": activity,
            "targets": dict(parsed_indicator.targets),
        }
        for parsed_indicator in parsed_indicators
    ]


WRITTEN_NUMBER = "№ в документе: "


def written_number(number: str, comment: str) -> tuple[str, str]:
    """An activity's number as its document wrote it and its comment without the note saying so (the
    first comment line when the importer had to change the number, see `_activity_fields`)."""
    first, _newline, rest = comment.partition("\n")
    if first.startswith(WRITTEN_NUMBER):
        return first.removeprefix(WRITTEN_NUMBER), rest
    return number, comment


def stored_number(item: ParsedActivity) -> str:
    """The number as the document writes it («1.1.»), unless the importer had to change it — numbering
    restarted in each section («II.1») or no «№» column («3») — then the importer's number."""
    return item.number if item.renumbered else item.number_as_written


def _activity_fields(section: Section, item: ParsedActivity, fallback_number: str) -> dict:
    number = (stored_number(item) or fallback_number)[:32]
    comment = item.comment
    if item.number_as_written and number != item.number_as_written:
        comment = "\n".join(filter(None, [f"{WRITTEN_NUMBER}{item.number_as_written}", comment]))
    return {
        "section": section,
        "number": number,
        "title": item.title,
        "goal_and_tasks": item.goal_and_tasks,
        "place_and_format": item.place_and_format,
        "planned_result": item.planned_result,
        "result_document": item.result_document[:500],
        "target_audience": item.target_audience,
        "links": "\n".join(item.links),
        "comment": comment,
        "responsible_text": item.responsible_text,
        "deadline_text": item.deadline_text,
        "revision_note": "\n".join(item.revision_refs),
    }


def _document_report(activity: Activity, item: ParsedActivity) -> DocumentReport:
    """What the document says was done: its actual date when one can be read, else the words alone."""
    actual = parse_deadline(item.actual_text, period=activity.roadmap.period) if item.actual_text else None
    actual_date = None
    if actual and actual.occurrences:
        actual_date = actual.occurrences[-1].due or actual.occurrences[-1].start
    return DocumentReport(
        activity=activity,
        actual_date=actual_date,
        actual_text=item.actual_text or "выполнено",
        result=item.planned_result,
    )


def _responsibilities(
    activity: Activity, item: ParsedActivity, organizations: dict[str, Organization]
) -> list[Responsibility]:
    """The activity's responsible organisations in the document's order: the first is the lead."""
    result: list[Responsibility] = []
    seen: set[int] = set()
    for responsible in item.responsible:
        organization = organizations.get(responsible.name)
        if organization is None or organization.pk in seen:
            continue
        seen.add(organization.pk)
        role = Responsibility.Role.CO_EXECUTOR if result else Responsibility.Role.LEAD
        result.append(
            Responsibility(
                activity=activity,
                organization=organization,
                by_agreement=responsible.by_agreement,
                person=responsible.person[:255],
                role=role,
            )
        )
    return result


@transaction.atomic
def roadmap_import(
    *,
    actor,
    parsed: ParsedRoadmap,
    owner: Organization,
    mapping: dict[str, Organization] | None = None,
    create: Iterable[str | Sequence[str]] = (),
    title: str = "",
    token: str = "",
    approve: bool = False,
    period: tuple[int, int] | None = None,
    level: str = "",
    project: Project | None = None,
) -> Roadmap:
    """Save a parsed document as a roadmap of `owner` through the roadmap services; any error rolls the
    whole import back.

    The roadmap is a draft unless `approve` is given (staff ticked «Утвердить при импорте»): then it is
    approved with the document's approving act, so an old plan does not arrive with its checkpoints
    overdue unless someone chose that.

    Responsible names are matched to organisations; `mapping` overrides matches and each item of `create`
    (a name, or spellings of one organisation, the first naming it) becomes a new organisation under the
    owner; names still unknown stay only in the activity's responsible text. `title`, `period`, `level` and
    `project`, as corrected on the preview, override what the document says of the roadmap itself.
    """
    confirmation = _redeem(token, actor) if token else None
    if repeated := duplicate_numbers(parsed):
        raise ImportRefused(
            "Номера мероприятий повторяются: " + ", ".join(repeated) + ". Исправьте нумерацию в файле."
        )
    passport = {
        "title": (title or parsed.title or "Импортированная дорожная карта")[:1000],
        "year_start": (period or effective_period(parsed))[0],
        "year_end": (period or effective_period(parsed))[1],
        "project": project,
        **({"level": level} if level else {}),
    }
    act = approving_act(parsed) if approve else None
    if approve and act is None:
        raise ImportRefused(
            "В документе нет номера и даты утверждающего акта: утвердите дорожную карту после импорта."
        )
    try:
        roadmap = _save(actor, parsed, owner, mapping or {}, create, passport)
        if act is not None:
            # The preview counts the deadlines needing a person beside the tick: the tick approves them as is.
            roadmap = roadmap_approve(actor=actor, roadmap=roadmap, act=act, confirm_deadline_problems=True)
    except ValidationError as exc:
        raise ImportRefused(_refusal(exc.messages)) from exc
    if confirmation is not None:
        confirmation.roadmap = roadmap
        confirmation.save(update_fields=["roadmap"])
    return roadmap


def _save(
    actor,
    parsed: ParsedRoadmap,
    owner: Organization,
    mapping: dict[str, Organization],
    create: Iterable[str | Sequence[str]],
    passport: dict,
) -> Roadmap:
    roadmap = roadmap_create(
        actor=actor,
        owner=owner,
        **passport,
        goal=parsed.goal,
        tasks=parsed.tasks,
        expected_results=parsed.expected_results,
    )
    organizations = _resolve_organizations(actor, parsed, owner, mapping, create)
    _remember_spellings(actor, organizations, mapping, create)
    sections = _sections(actor, roadmap, parsed)
    fields: list[dict] = []
    items: list[ParsedActivity] = []
    for section, parsed_section in zip(sections, parsed.sections, strict=True):
        for item in parsed_section.activities:
            fields.append(_activity_fields(section, item, fallback_number=f"{len(fields) + 1}."))
            items.append(item)
    activities = activities_create(actor=actor, roadmap=roadmap, activities=fields)

    responsibilities, indicators, reports = [], [], []
    for activity, item in zip(activities, items, strict=True):
        responsibilities.extend(_responsibilities(activity, item, organizations))
        indicators.extend(_indicator_fields(item.indicators, activity=activity))
        if item.actual_text or item.done:
            reports.append(_document_report(activity, item))
    indicators.extend(_indicator_fields(parsed.indicators))  # a table of the programme's indicators only
    responsibilities_create(actor=actor, responsibilities=responsibilities)
    indicators_create(actor=actor, roadmap=roadmap, indicators=indicators)
    checkpoints_report_from_document(actor=actor, reports=reports)
    for revision in parsed.revisions:
        if (act := _legal_act(revision)) is not None:
            revision_record(
                actor=actor, roadmap=roadmap, date=act.date, summary=revision.text or str(act), act=act
            )
    return roadmap


def _refusal(messages: list[str], shown: int = 10) -> str:
    """What the services refused, in a message a person reads through: the first few reasons."""
    text = "Дорожная карта не сохранена: " + " ".join(messages[:shown])
    if len(messages) > shown:
        text += f" (и ещё замечаний: {len(messages) - shown})"
    return text


def _redeem(token: str, actor) -> ImportConfirmation:
    """Consume an upload token once: a second confirm waits for the first to commit, then is refused."""
    try:
        with transaction.atomic():
            return ImportConfirmation.objects.create(token=token, confirmed_by=actor)
    except IntegrityError as exc:
        raise ImportRefused("Этот файл уже импортирован — откройте дорожную карту в списке.") from exc


def _remember_spellings(
    actor,
    organizations: dict[str, Organization],
    mapping: dict[str, Organization],
    create: Iterable[str | Sequence[str]],
) -> None:
    """Spellings staff mapped, or grouped into a new organisation, become that organisation's known
    spellings, so the next import that spells it so needs no mapping."""
    confirmed: dict[Organization, list[str]] = {}
    for name, organization in mapping.items():
        confirmed.setdefault(organization, []).append(name)
    for item in create:
        for name in [] if isinstance(item, str) else list(item):
            if name in organizations:
                confirmed.setdefault(organizations[name], []).append(name)
    for organization, spellings in confirmed.items():
        organization_aliases_add(actor=actor, organization=organization, spellings=spellings)


def _resolve_organizations(
    actor,
    parsed: ParsedRoadmap,
    owner: Organization,
    mapping: dict[str, Organization],
    create: Iterable[str | Sequence[str]],
) -> dict[str, Organization]:
    resolved = {**match_organizations(parsed, owner=owner).found, **mapping}
    for item in create:
        names = [item] if isinstance(item, str) else list(item)
        if not names or all(name in resolved for name in names):
            continue
        organization = organization_create(
            actor=actor, full_name=names[0], short_name=names[0], parent=owner, kind=Organization.Kind.OTHER
        )
        resolved.update({name: organization for name in names if name not in resolved})
    return resolved
