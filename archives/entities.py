"""What a region's archive holds: one entry per table, in load order, each narrowed to an organisation's
subtree (the requester's scope) by querysets that are never evaluated here.

A row comes with its source primary key and every concrete field except those left out on purpose
(passwords, derived bookkeeping). A foreign key whose target may lie outside the archive — a curator
organisation above the region, a person from another region who once verified a report — is written as
null, so the archive never names what is outside the scope; `keep` says when such a key is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from organizations.models import Membership, Municipality, Organization, OrganizationAlias, Region
from projects.models import Participant, Project
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointReopening,
    CheckpointTransition,
    ClosedPeriod,
    Comment,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    RevisionChange,
    Roadmap,
    Section,
)

User = get_user_model()

# A person comes with who they are and whether the account is active; never a password, a sign-in time,
# or the admin flags (an imported portal makes its own technical administrators).
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "date_joined")


@dataclass(frozen=True)
class Subtree:
    """The organisation `path` ("/1/7/") and everything below it."""

    path: str

    @property
    def parent_prefix(self) -> str:
        """The path above the root ("/1/"), stripped from paths: the root has no parent in the archive."""
        return self.path[: self.path.rstrip("/").rfind("/") + 1]

    def inside(self, lookup: str) -> Q:
        """Rows whose organisation at `lookup` (e.g. "owner") lies in the subtree."""
        return Q(**{f"{lookup}__path__startswith": self.path})

    def organizations(self) -> QuerySet:
        return Organization.objects.filter(path__startswith=self.path)

    def users(self) -> QuerySet:
        """Members of the subtree's organisations, and authors of its comments (from wherever they write)."""
        member = Membership.objects.filter(user=OuterRef("pk"), organization__path__startswith=self.path)
        author = self.comments().filter(author=OuterRef("pk"))
        return User.objects.filter(Exists(member) | Exists(author))

    def person(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__in": self.users().values("pk")})

    def roadmaps(self) -> QuerySet:
        return Roadmap.objects.filter(self.inside("owner"))

    def projects(self) -> QuerySet:
        """Projects of the subtree's roadmaps and participants, with the projects they belong to (a
        regional project → its federal → its national one)."""
        used = Project.objects.filter(
            Exists(Roadmap.objects.filter(self.inside("owner"), project=OuterRef("pk")))
            | Exists(Participant.objects.filter(self.inside("organization"), project=OuterRef("pk")))
        )
        above = Project.objects.filter(pk__in=used.values("parent_id"))
        top = Project.objects.filter(pk__in=above.values("parent_id"))
        return Project.objects.filter(
            Q(pk__in=used.values("pk")) | Q(pk__in=above.values("pk")) | Q(pk__in=top.values("pk"))
        )

    def closed_periods(self) -> QuerySet:
        return ClosedPeriod.objects.filter(
            Q(roadmap__in=self.roadmaps().values("pk")) | self.inside("organization")
        )

    def comments(self) -> QuerySet:
        return Comment.objects.filter(
            self.inside("checkpoint__activity__roadmap__owner") | self.inside("activity__roadmap__owner")
        )

    def regions(self) -> QuerySet:
        return Region.objects.filter(
            Q(pk__in=self.organizations().values("region_id"))
            | Q(pk__in=self.projects().values("region_id"))
            | Q(pk__in=self.municipalities().values("region_id"))
        )

    def municipalities(self) -> QuerySet:
        return Municipality.objects.filter(pk__in=self.organizations().values("municipality_id"))


@dataclass(frozen=True)
class Entity:
    name: str  # the file in the archive: <name>.jsonl
    model: type[Model]
    rows: Callable[[Subtree], QuerySet]
    # Foreign keys that may point outside the archive → the condition on the row under which it is kept.
    keep: Callable[[Subtree], dict[str, Q]] = field(default=lambda subtree: {})
    only: tuple[str, ...] = ()  # when set, the only fields written besides the primary key
    skip: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.name}.jsonl"

    def fields(self) -> list:
        pk = self.model._meta.pk
        return [
            f
            for f in self.model._meta.concrete_fields
            if f is not pk and (not self.only or f.name in self.only) and f.name not in self.skip
        ]


def _in(queryset_of: Callable[[Subtree], QuerySet], lookup: str) -> Callable[[Subtree], Q]:
    return lambda s: Q(**{f"{lookup}__in": queryset_of(s).values("pk")})


def _roadmap_rows(model: type[Model], lookup: str = "roadmap") -> Callable[[Subtree], QuerySet]:
    return lambda s: model.objects.filter(s.inside(f"{lookup}__owner"))


_checkpoints = _roadmap_rows(Checkpoint, "activity__roadmap")


def _people(*lookups: str) -> Callable[[Subtree], dict[str, Q]]:
    return lambda s: {lookup: s.person(lookup) for lookup in lookups}


CURRENT = [
    Entity("regions", Region, lambda s: s.regions()),
    Entity("municipalities", Municipality, lambda s: s.municipalities()),
    Entity(
        "organizations",
        Organization,
        lambda s: s.organizations(),
        keep=lambda s: {"parent": s.inside("parent")},
    ),
    Entity(
        "organization_aliases",
        OrganizationAlias,
        lambda s: OrganizationAlias.objects.filter(s.inside("organization")),
        keep=_people("confirmed_by"),
    ),
    Entity("users", User, lambda s: s.users(), only=USER_FIELDS),
    Entity("memberships", Membership, lambda s: Membership.objects.filter(s.inside("organization"))),
    Entity(
        "projects",
        Project,
        lambda s: s.projects(),
        keep=lambda s: {"parent": _in(Subtree.projects, "parent")(s), "coordinator": s.inside("coordinator")},
    ),
    Entity(
        "project_participants",
        Participant,
        lambda s: Participant.objects.filter(s.inside("organization"), project__in=s.projects().values("pk")),
        keep=lambda s: {"curator": s.inside("curator"), "curator_user": s.person("curator_user")},
    ),
    Entity(
        "legal_acts",
        LegalAct,
        lambda s: LegalAct.objects.filter(
            Q(pk__in=s.roadmaps().values("approved_by_act_id"))
            | Q(pk__in=Revision.objects.filter(s.inside("roadmap__owner")).values("act_id"))
        ),
    ),
    Entity(
        "roadmaps",
        Roadmap,
        lambda s: s.roadmaps(),
        keep=lambda s: {"copied_from": s.inside("copied_from__owner")},
        skip=("data_version",),
    ),
    Entity("revisions", Revision, _roadmap_rows(Revision), keep=_people("created_by")),
    Entity(
        "revision_changes",
        RevisionChange,
        _roadmap_rows(RevisionChange, "revision__roadmap"),
        keep=_people("actor"),
    ),
    Entity("sections", Section, _roadmap_rows(Section)),
    Entity("activities", Activity, _roadmap_rows(Activity)),
    Entity(
        "responsibilities",
        Responsibility,
        lambda s: Responsibility.objects.filter(
            s.inside("activity__roadmap__owner"), s.inside("organization")
        ),
    ),
    Entity("checkpoints", Checkpoint, _checkpoints, keep=_people("reported_by", "verified_by")),
    Entity(
        "checkpoint_transitions",
        CheckpointTransition,
        _roadmap_rows(CheckpointTransition, "checkpoint__activity__roadmap"),
        keep=_people("actor"),
    ),
    Entity(
        "evidence",
        Evidence,
        _roadmap_rows(Evidence, "checkpoint__activity__roadmap"),
        keep=_people("uploaded_by"),
    ),
    Entity(
        "comments", Comment, lambda s: s.comments(), keep=lambda s: {"organization": s.inside("organization")}
    ),
    Entity(
        "closed_periods", ClosedPeriod, lambda s: s.closed_periods(), keep=_people("closed_by", "reopened_by")
    ),
    Entity(
        "checkpoint_reopenings",
        CheckpointReopening,
        lambda s: CheckpointReopening.objects.filter(
            s.inside("checkpoint__activity__roadmap__owner"), period__in=s.closed_periods().values("pk")
        ),
        keep=_people("actor"),
    ),
    Entity("indicators", Indicator, _roadmap_rows(Indicator)),
    Entity(
        "indicator_targets",
        IndicatorTarget,
        lambda s: IndicatorTarget.objects.filter(
            Q(organization__isnull=True) | s.inside("organization"), s.inside("indicator__roadmap__owner")
        ),
    ),
    Entity(
        "indicator_values",
        IndicatorValue,
        lambda s: IndicatorValue.objects.filter(
            s.inside("indicator__roadmap__owner"), s.inside("organization")
        ),
        keep=_people("reported_by"),
    ),
]


def _history(name: str, model: type[Model], rows: Callable[[Subtree], Q]) -> Entity:
    """The history rows of `model` (django-simple-history) selected by their own columns, so the history
    of rows deleted since is kept too where its parent still is in scope."""
    historical = model.history.model
    return Entity(
        f"history/{name}",
        historical,
        lambda s: historical.objects.filter(rows(s)),
        keep=_people("history_user"),
        skip=tuple(f for f in ("password", "last_login") if _has_field(historical, f)),
    )


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _ids(queryset_of: Callable[[Subtree], QuerySet], column: str = "id") -> Callable[[Subtree], Q]:
    return lambda s: Q(**{f"{column}__in": queryset_of(s).values("pk")})


_roadmap_ids = _ids(Subtree.roadmaps, "roadmap_id")
_activities = _roadmap_rows(Activity)
_indicators = _roadmap_rows(Indicator)
_organization_ids = _ids(Subtree.organizations, "organization_id")

HISTORY = [
    _history("organizations", Organization, _ids(Subtree.organizations)),
    _history("organization_aliases", OrganizationAlias, _organization_ids),
    _history("users", User, _ids(Subtree.users)),
    _history("memberships", Membership, _organization_ids),
    _history("projects", Project, _ids(Subtree.projects)),
    _history(
        "project_participants",
        Participant,
        lambda s: _organization_ids(s) & _ids(Subtree.projects, "project_id")(s),
    ),
    _history("roadmaps", Roadmap, lambda s: Q(owner_id__in=s.organizations().values("pk"))),
    _history("sections", Section, _roadmap_ids),
    _history("activities", Activity, _roadmap_ids),
    _history(
        "responsibilities",
        Responsibility,
        lambda s: _ids(_activities, "activity_id")(s) & _organization_ids(s),
    ),
    _history("checkpoints", Checkpoint, _ids(_activities, "activity_id")),
    _history("evidence", Evidence, _ids(_checkpoints, "checkpoint_id")),
    _history(
        "comments",
        Comment,
        lambda s: _ids(_checkpoints, "checkpoint_id")(s) | _ids(_activities, "activity_id")(s),
    ),
    _history("closed_periods", ClosedPeriod, _ids(Subtree.closed_periods)),
    _history("checkpoint_reopenings", CheckpointReopening, _ids(_checkpoints, "checkpoint_id")),
    _history("indicators", Indicator, _roadmap_ids),
    _history(
        "indicator_targets",
        IndicatorTarget,
        lambda s: (
            _ids(_indicators, "indicator_id")(s) & (Q(organization_id__isnull=True) | _organization_ids(s))
        ),
    ),
    _history(
        "indicator_values",
        IndicatorValue,
        lambda s: _ids(_indicators, "indicator_id")(s) & _organization_ids(s),
    ),
]

ENTITIES: list[Entity] = CURRENT + HISTORY

# Files that rows point to: copied into the archive under files/<storage name>.
FILE_SOURCES: list[Callable[[Subtree], QuerySet]] = [
    _roadmap_rows(Evidence, "checkpoint__activity__roadmap"),
    lambda s: s.comments(),
]
