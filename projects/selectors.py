"""Reads of projects and participants for their screens, and the single door to one project.

Progress is the dashboards' rule (roadmaps/selectors/outcomes.py over `with_outcome_as_of`): a school's
«выполнено» are its checkpoints done as of today, «просрочено» those overdue, «всего» all not cancelled,
of the project's approved roadmaps' activities the school answers for — counted in SQL, one query per page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from organizations.models import Organization
from organizations.names import normalize_name
from organizations.scope import user_scope
from projects.models import Participant, Project
from projects.rules import participant_visibility_q, project_visibility_q
from roadmaps.models import Checkpoint, Responsibility, Roadmap
from roadmaps.outcomes import OutcomeCounts
from roadmaps.selectors.outcomes import outcome_groups, outcome_groups_through

PAGE_SIZE = 50
User = get_user_model()

# --- Access: 404 outside what the user sees, 403 where the role may not change ---------------------------


def projects_visible_to(user) -> QuerySet[Project]:
    return Project.objects.filter(project_visibility_q(user))


def participants_visible_to(user) -> QuerySet[Participant]:
    return Participant.objects.filter(participant_visibility_q(user))


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def project_get_for_user(*, user, pk: int) -> Project:
    return get_object_or_404(
        projects_visible_to(user).select_related("parent", "coordinator", "region"), pk=pk
    )


def project_get_for_change(*, user, pk: int) -> Project:
    project = project_get_for_user(user=user, pk=pk)
    _require(user, "projects.manage_project", project)
    return project


def project_get_for_participants(*, user, pk: int) -> Project:
    """A project staff add their schools to."""
    project = project_get_for_user(user=user, pk=pk)
    _require(user, "projects.add_participants", project)
    return project


def participant_get_for_change(*, user, pk: int) -> Participant:
    participant = get_object_or_404(
        participants_visible_to(user)
        .filter(project__in=projects_visible_to(user))
        .select_related("project", "organization", "curator", "curator_user"),
        pk=pk,
    )
    _require(user, "projects.manage_participant", participant)
    return participant


# --- The tree ---------------------------------------------------------------------------------------------


@dataclass
class ProjectNode:
    project: Project
    depth: int
    children: list[ProjectNode] = field(default_factory=list)


def project_tree(*, user) -> list[ProjectNode]:
    """Visible projects as a flat list in tree order (national → federal → regional), each with its depth;
    a project whose parent is not visible starts a branch of its own. Queries: one."""
    projects = list(projects_visible_to(user).select_related("coordinator", "region").order_by("name", "pk"))
    by_pk = {p.pk: ProjectNode(p, 0) for p in projects}
    roots = []
    for node in by_pk.values():
        parent = by_pk.get(node.project.parent_id)
        (parent.children if parent else roots).append(node)
    flat: list[ProjectNode] = []
    order = {level: i for i, level in enumerate(Project.Level.values)}

    def walk(nodes: list[ProjectNode], depth: int) -> None:
        for node in sorted(nodes, key=lambda n: (order.get(n.project.level, 9), n.project.name)):
            node.depth = depth
            flat.append(node)
            walk(node.children, depth + 1)

    walk(roots, 0)
    return flat


# --- A project's page -------------------------------------------------------------------------------------


@dataclass
class RoadmapRow:
    roadmap: Roadmap
    counts: OutcomeCounts


@dataclass
class ProjectPage:
    project: Project
    children: list[Project]
    roadmaps: list[RoadmapRow]
    participant_count: int
    participants: list[Participant]


PREVIEW = 10


def project_page(*, user, project: Project, as_of: datetime.date) -> ProjectPage:
    """Queries: visible children; visible roadmaps of the project; their outcomes by roadmap; the count of
    participants in scope and the first of them with their curators."""
    from roadmaps.access import roadmaps_visible_to  # roadmaps depends on this app, not the other way

    children = list(
        projects_visible_to(user).filter(parent=project).select_related("coordinator").order_by("name")
    )
    roadmaps = list(
        roadmaps_visible_to(user)
        .filter(project=project)
        .select_related("owner")
        .order_by("-year_start", "title")
    )
    counts = outcome_groups(
        Checkpoint.objects.filter(activity__roadmap_id__in=[r.pk for r in roadmaps]),
        as_of,
        fields=("activity__roadmap_id",),
    ) if roadmaps else {}  # fmt: skip
    return ProjectPage(
        project=project,
        children=children,
        roadmaps=[RoadmapRow(r, counts.get((r.pk,), OutcomeCounts())) for r in roadmaps],
        participant_count=participants_visible_to(user).filter(project=project).count(),
        participants=list(
            participant_filtered(user=user, project=project)
            .select_related(None)
            .select_related("organization", "curator", "curator_user")[:PREVIEW]
        ),
    )


# --- The participants («500+») ----------------------------------------------------------------------------

NO_CURATOR = "none"


@dataclass
class ParticipantRow:
    participant: Participant
    counts: OutcomeCounts
    can_change: bool = False


def participants_of(*, user, project: Project) -> QuerySet[Participant]:
    return participants_visible_to(user).filter(project=project)


def participant_filter_choices(*, user, project: Project) -> tuple[list, list]:
    """Municipalities and curators (organisations «o<pk>», people «u<pk>») of the project's participants in
    scope, for the filter's selects. Queries: two."""
    participants = participants_of(user=user, project=project).order_by()
    municipalities = list(
        participants.filter(organization__municipality__isnull=False)
        .values_list("organization__municipality_id", "organization__municipality__name")
        .distinct()
        .order_by("organization__municipality__name")
    )
    curators: dict[str, str] = {}
    rows = participants.values_list(
        "curator_id", "curator__short_name", "curator_user_id", "curator_user__last_name",
        "curator_user__first_name", "curator_user__username",
    ).distinct()  # fmt: skip
    for org_id, org_name, user_id, last, first, username in rows:
        if org_id:
            curators[f"o{org_id}"] = org_name
        if user_id:
            curators[f"u{user_id}"] = " ".join(part for part in (last, first) if part) or username
    return municipalities, sorted(curators.items(), key=lambda item: (item[0][0], item[1]))


def participant_filtered(
    *, user, project: Project, text: str = "", municipality: int | None = None, curator: str = ""
) -> QuerySet[Participant]:
    participants = participants_of(user=user, project=project)
    if text:
        participants = participants.filter(
            Q(organization__short_name__icontains=text)
            | Q(organization__full_name__icontains=text)
            | Q(organization__inn=text)
        )
    if municipality:
        participants = participants.filter(organization__municipality_id=municipality)
    if curator == NO_CURATOR:
        participants = participants.filter(curator__isnull=True, curator_user__isnull=True, curator_name="")
    elif curator[:1] == "o" and curator[1:].isdigit():
        participants = participants.filter(curator_id=int(curator[1:]))
    elif curator[:1] == "u" and curator[1:].isdigit():
        participants = participants.filter(curator_user_id=int(curator[1:]))
    return participants.select_related("organization__municipality", "curator", "curator_user").order_by(
        "organization__short_name", "pk"
    )


def participant_progress(
    *, project: Project, organization_ids: list[int], as_of: datetime.date
) -> dict[int, OutcomeCounts]:
    """Outcomes of the checkpoints of the project's approved roadmaps, per responsible organisation among
    `organization_ids` (one query, grouped in SQL)."""
    if not organization_ids:
        return {}
    responsibilities = Responsibility.objects.filter(
        activity__roadmap__project=project,
        activity__roadmap__status=Roadmap.Status.APPROVED,
        organization_id__in=organization_ids,
    )
    checkpoints = Checkpoint.objects.filter(activity_id__in=responsibilities.values("activity_id"))
    groups = outcome_groups_through(checkpoints, as_of, rows=responsibilities, fields=("organization_id",))
    return {key[0]: counts for key, counts in groups.items() if key[0] is not None}


def participant_page(
    *, user, project: Project, as_of: datetime.date, page: str | None, **filters
) -> tuple[Page, list[ParticipantRow]]:
    """A page of 50 participants with their progress. Queries: count; page; progress."""
    page_obj = Paginator(participant_filtered(user=user, project=project, **filters), PAGE_SIZE).get_page(
        page
    )
    participants = list(page_obj.object_list)
    progress = participant_progress(
        project=project, organization_ids=[p.organization_id for p in participants], as_of=as_of
    )
    rows = [ParticipantRow(p, progress.get(p.organization_id, OutcomeCounts())) for p in participants]
    return page_obj, rows


def participant_rows_all(*, user, project: Project, as_of: datetime.date, batch: int = 2000, **filters):
    """Every participant matching the filters with progress, for the download: batches of `batch` by
    primary key, each batch two queries, so memory and per-batch cost stay flat."""
    participants = participant_filtered(user=user, project=project, **filters)
    last_key: tuple[str, int] | None = None
    while True:
        chunk_qs = participants
        if last_key is not None:
            name, pk = last_key
            chunk_qs = chunk_qs.filter(
                Q(organization__short_name__gt=name) | Q(organization__short_name=name, pk__gt=pk)
            )
        chunk = list(chunk_qs[:batch])
        if not chunk:
            return
        progress = participant_progress(
            project=project, organization_ids=[p.organization_id for p in chunk], as_of=as_of
        )
        for participant in chunk:
            yield ParticipantRow(participant, progress.get(participant.organization_id, OutcomeCounts()))
        last_key = (chunk[-1].organization.short_name, chunk[-1].pk)


# --- What staff are offered ------------------------------------------------------------------------------


def curator_organizations_for(*, user) -> QuerySet[Organization]:
    """Active organisations in the user's scope, for the curator organisation's select."""
    return Organization.objects.active().filter(user_scope(user).q("path")).order_by("short_name", "pk")


def curator_people_for(*, user) -> QuerySet:
    """Active people with a membership in an active organisation of the user's scope."""
    scope = user_scope(user)
    members = Organization.objects.active().filter(scope.q("path")).values("pk")
    return (
        User.objects.filter(is_active=True, memberships__organization_id__in=members)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class Resolved:
    organizations: list[Organization]
    unknown: list[str]
    ambiguous: list[str]


def organizations_from_lines(*, user, text: str) -> Resolved:
    """Pasted lines — an ИНН or a short or full name each — as active organisations the user manages
    (staff scope). Names are compared as organizations/names.py irons them out. Queries: one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    candidates = (
        Organization.objects.active()
        .filter(user_scope(user).q("path", "staff"))
        .only("pk", "inn", "short_name", "full_name", "path", "is_active")
    )
    by_inn: dict[str, list[Organization]] = {}
    by_name: dict[str, list[Organization]] = {}
    for org in candidates:
        if org.inn:
            by_inn.setdefault(org.inn, []).append(org)
        for name in {normalize_name(org.short_name), normalize_name(org.full_name)}:
            by_name.setdefault(name, []).append(org)
    found: dict[int, Organization] = {}
    unknown, ambiguous = [], []
    for line in lines:
        matches = by_inn.get(line) or by_name.get(normalize_name(line)) or []
        if len(matches) == 1:
            found[matches[0].pk] = matches[0]
        elif matches:
            ambiguous.append(line)
        else:
            unknown.append(line)
    return Resolved(list(found.values()), unknown, ambiguous)
