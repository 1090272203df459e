"""What every report builder shares: the scope it reads, its registry entry and the build contract."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from organizations.scope import user_scope
from reports.models import ReportFormat
from roadmaps.models import Roadmap

Progress = Callable[[int], None]

SCOPE_ROADMAP = "roadmap"
SCOPE_PROJECT_REGION = "project_region"


@dataclass(frozen=True)
class ReportScope:
    """One roadmap, or every non-draft roadmap of a project owned in one region."""

    roadmap_id: int | None = None
    project_id: int | None = None
    region_id: int | None = None

    def __post_init__(self) -> None:
        single = self.roadmap_id is not None and self.project_id is None and self.region_id is None
        group = self.roadmap_id is None and self.project_id is not None and self.region_id is not None
        if not (single or group):
            raise ValueError("a report scope is a roadmap, or a project together with a region")

    @property
    def kind(self) -> str:
        return SCOPE_ROADMAP if self.roadmap_id is not None else SCOPE_PROJECT_REGION

    def roadmaps(self):
        """The roadmaps the report covers, in a stable order."""
        if self.roadmap_id is not None:
            return Roadmap.objects.filter(pk=self.roadmap_id)
        return (
            Roadmap.objects.not_draft()
            .filter(project_id=self.project_id, owner__region_id=self.region_id)
            .order_by("pk")
        )

    def roadmap_ids(self) -> list[int]:
        return list(self.roadmaps().order_by("pk").values_list("pk", flat=True))

    def as_dict(self) -> dict[str, int | None]:
        return {"roadmap_id": self.roadmap_id, "project_id": self.project_id, "region_id": self.region_id}


@dataclass
class BuildRequest:
    """Everything a builder needs: the resolved roadmap ids, the date and extra parameters."""

    scope: ReportScope
    roadmap_ids: list[int]
    as_of: datetime.date
    format: str
    parameters: dict[str, Any] = field(default_factory=dict)
    progress: Progress | None = None
    _percent: int = field(default=0, init=False, repr=False)

    def report_progress(self, percent: int) -> None:
        """Also the build's heartbeat: the run service stores it at most every few seconds."""
        self._percent = max(0, min(100, int(percent)))
        if self.progress is not None:
            self.progress(self._percent)

    def keep_alive(self) -> None:
        """For a long stretch that moves no percent: tells the sweeper this build's worker is alive."""
        self.report_progress(self._percent)


class ReportBuilder:
    """A registry entry: subclasses set code, title, formats and scopes and implement `build`."""

    code: ClassVar[str]
    title: ClassVar[str]
    formats: ClassVar[tuple[str, ...]]
    scopes: ClassVar[tuple[str, ...]] = (SCOPE_ROADMAP, SCOPE_PROJECT_REGION)
    roles: ClassVar[tuple[str, ...]] = ("staff", "analyst", "observer")
    # Bump when the output changes, so files built by older code are not reused.
    version: ClassVar[int] = 1

    @property
    def format_titles(self) -> list[str]:
        return [ReportFormat(fmt).label for fmt in self.formats]

    def is_available_to(self, user) -> bool:
        return user.is_authenticated and user_scope(user).has_role(*self.roles)

    def accepts(self, scope: ReportScope, fmt: str) -> bool:
        return scope.kind in self.scopes and fmt in self.formats

    def file_name(self, request: BuildRequest) -> str:
        return f"{self.title} на {request.as_of:%d.%m.%Y}.{request.format}"

    def build(self, request: BuildRequest, path: Path) -> None:
        """Write the report for `request` to `path` (a temporary file the caller publishes)."""
        raise NotImplementedError
