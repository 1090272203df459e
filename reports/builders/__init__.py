"""The registry of report builders: each has a code, a Russian title, the scopes and formats it accepts."""

from __future__ import annotations

from reports.builders.base import (
    SCOPE_PROJECT_REGION,
    SCOPE_ROADMAP,
    BuildRequest,
    ReportBuilder,
    ReportScope,
)
from reports.builders.cover_letter import CoverLetterBuilder
from reports.builders.fioko_form import FiokoFormBuilder
from reports.builders.monitoring import MonitoringBuilder

REGISTRY: dict[str, ReportBuilder] = {}


def register(builder: ReportBuilder) -> ReportBuilder:
    if builder.code in REGISTRY:
        raise ValueError(f"report code {builder.code!r} is already registered")
    REGISTRY[builder.code] = builder
    return builder


def get_builder(code: str) -> ReportBuilder:
    """The builder for a code; KeyError for an unknown one."""
    return REGISTRY[code]


def builders_available_to(user) -> list[ReportBuilder]:
    return [builder for builder in REGISTRY.values() if builder.is_available_to(user)]


for _builder in (FiokoFormBuilder(), MonitoringBuilder(), CoverLetterBuilder()):
    register(_builder)

__all__ = [
    "REGISTRY",
    "SCOPE_PROJECT_REGION",
    "SCOPE_ROADMAP",
    "BuildRequest",
    "ReportBuilder",
    "ReportScope",
    "builders_available_to",
    "get_builder",
    "register",
]
