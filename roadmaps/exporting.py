"""The way back: a roadmap from the database as the same table people import (.xlsx or .docx), and as
the printable PDF of the approved form."""

from decimal import Decimal

from django.db.models import Prefetch

from roadmaps import acts
from roadmaps.documents.pdf import write_pdf
from roadmaps.importing.parsed import (
    ParsedAct,
    ParsedActivity,
    ParsedHeading,
    ParsedIndicator,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
)
from roadmaps.importing.save import written_number
from roadmaps.importing.writers import heading_text, write_docx, write_xlsx
from roadmaps.models import Activity, Indicator, Responsibility, Roadmap, Section, roadmap_targets
from roadmaps.selectors.roadmaps import section_tree

WRITERS = {"xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _act(act, *, approving: bool) -> ParsedAct | None:
    """The act as the document cites it: «УТВЕРЖДЕНА приказом департамента …» or «в ред. приказа …»."""
    if act is None:
        return None
    cite = acts.approval_text if approving else acts.amendment_text
    text = cite(kind=act.kind, issuer=act.issuer, date=act.date, number=act.number)
    return ParsedAct(
        kind=act.get_kind_display(), issuer=act.issuer, number=act.number, date=act.date, text=text
    )


def plain_decimal(value: Decimal) -> Decimal:
    """30.00 → 30, 55.50 → 55.5: a target as people write it (never 3E+1)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized.as_tuple().exponent > 0 else normalized


def _activity(activity: Activity) -> ParsedActivity:
    as_written, comment = written_number(activity.number, activity.comment)
    return ParsedActivity(
        number=activity.number,
        number_as_written=as_written,
        title=activity.title,
        goal_and_tasks=activity.goal_and_tasks,
        place_and_format=activity.place_and_format,
        deadline_text=activity.deadline_text,
        responsible_text=activity.responsible_text
        or "\n".join(
            f"{r.organization.short_name}{' (по согласованию)' if r.by_agreement else ''}"
            for r in activity.responsibilities.all()
        ),
        responsible=[
            ParsedResponsible(name=r.organization.short_name, by_agreement=r.by_agreement, person=r.person)
            for r in activity.responsibilities.all()
        ],
        planned_result=activity.planned_result,
        result_document=activity.result_document,
        target_audience=activity.target_audience,
        links=[line for line in activity.links.splitlines() if line.strip()],
        comment=comment,
        revision_refs=[line for line in activity.revision_note.splitlines() if line.strip()],
        indicators=[
            ParsedIndicator(
                name=i.name, unit=i.unit, targets={t.year: plain_decimal(t.value) for t in i.targets.all()}
            )
            for i in activity.indicators.all()
        ],
    )


def roadmap_to_parsed(roadmap: Roadmap) -> ParsedRoadmap:
    """Read a whole roadmap in a fixed number of queries and shape it like an imported document."""
    activities = Activity.objects.order_by("sort_key", "pk").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("organization")),
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related(roadmap_targets())),
    )
    sections = (
        Section.objects.filter(roadmap=roadmap)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )
    parsed_sections = []
    chain: list[ParsedHeading] = []  # the headings above the current section, the top one first
    for section, level, is_group in section_tree(list(sections)):
        heading = ParsedHeading(text=heading_text(ParsedSection(title=section.title, number=section.number)))
        del chain[level:]
        if section.activities.all() or not is_group:
            parsed_sections.append(
                ParsedSection(
                    title=section.title,
                    number=section.number,
                    ancestors=list(chain),
                    activities=[_activity(a) for a in section.activities.all()],
                )
            )
        chain.append(heading)
    loose = list(activities.filter(roadmap=roadmap, section__isnull=True))
    if loose:
        parsed_sections.append(ParsedSection(title="Без раздела", activities=[_activity(a) for a in loose]))
    return ParsedRoadmap(
        title=roadmap.title,
        period=roadmap.period,
        goal=roadmap.goal,
        tasks=roadmap.tasks,
        expected_results=roadmap.expected_results,
        approving_act=_act(roadmap.approved_by_act, approving=True),
        revisions=[_act(r.act, approving=False) for r in roadmap.revisions.select_related("act") if r.act],
        sections=parsed_sections,
        source_format="portal",
    )


def roadmap_export(roadmap: Roadmap, file_format: str) -> bytes:
    return WRITERS[file_format](roadmap_to_parsed(roadmap))
