"""django-filter sets for the lists; each has `updated_since` for incremental sync."""

from __future__ import annotations

import django_filters as filters

from organizations.models import Organization
from projects.models import Project
from reports.models import ReportRun
from roadmaps.models import Activity, Checkpoint, Indicator, Roadmap

MAX_ID = 2**63 - 1
UPDATED_SINCE = "Только записи, изменённые в этот момент или позже (ISO 8601, например 2025-03-31T12:00:00Z)."


def _id(field: str, label: str) -> filters.NumberFilter:
    # Bounded: a number past the database's integer would fail in the query instead of matching nothing.
    return filters.NumberFilter(field_name=field, label=label, min_value=1, max_value=MAX_ID)


def _updated_since(field: str = "updated_at") -> filters.IsoDateTimeFilter:
    return filters.IsoDateTimeFilter(field_name=field, lookup_expr="gte", label=UPDATED_SINCE)


class OrganizationFilter(filters.FilterSet):
    updated_since = _updated_since()
    inn = filters.CharFilter(label="ИНН")
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices, label="Вид организации")
    parent = _id("parent_id", "Вышестоящая организация (id)")
    is_active = filters.BooleanFilter(label="Действует")

    class Meta:
        model = Organization
        fields: list[str] = []


class ProjectFilter(filters.FilterSet):
    updated_since = _updated_since()
    level = filters.ChoiceFilter(choices=Project.Level.choices, label="Уровень")

    class Meta:
        model = Project
        fields: list[str] = []


class RoadmapFilter(filters.FilterSet):
    updated_since = _updated_since()
    status = filters.ChoiceFilter(choices=Roadmap.Status.choices, label="Статус")
    owner = _id("owner_id", "Организация-владелец (id)")
    project = _id("project_id", "Проект (id)")

    class Meta:
        model = Roadmap
        fields: list[str] = []


class ActivityFilter(filters.FilterSet):
    updated_since = _updated_since()
    roadmap = _id("roadmap_id", "Дорожная карта (id)")
    section = _id("section_id", "Раздел (id)")

    class Meta:
        model = Activity
        fields: list[str] = []


class CheckpointFilter(filters.FilterSet):
    updated_since = _updated_since()
    roadmap = _id("activity__roadmap_id", "Дорожная карта (id)")
    activity = _id("activity_id", "Мероприятие (id)")
    status = filters.ChoiceFilter(choices=Checkpoint.Status.choices, label="Статус")
    due_from = filters.DateFilter(
        field_name="planned_due", lookup_expr="gte", label="Плановый срок не раньше"
    )
    due_to = filters.DateFilter(field_name="planned_due", lookup_expr="lte", label="Плановый срок не позже")

    class Meta:
        model = Checkpoint
        fields: list[str] = []


class IndicatorFilter(filters.FilterSet):
    updated_since = _updated_since()
    roadmap = _id("roadmap_id", "Дорожная карта (id)")

    class Meta:
        model = Indicator
        fields: list[str] = []


class ReportRunFilter(filters.FilterSet):
    # A run changes while it is built; its request time is what a client pages by.
    updated_since = _updated_since("created_at")
    status = filters.ChoiceFilter(choices=ReportRun.Status.choices, label="Статус")

    class Meta:
        model = ReportRun
        fields: list[str] = []
