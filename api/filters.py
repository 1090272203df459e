"""django-filter sets for the lists; each has `updated_since` for incremental sync."""

from __future__ import annotations

import django_filters as filters

from organizations.models import Organization
from projects.models import Project
from reports.models import ReportRun
from roadmaps.models import Activity, Checkpoint, Indicator, Roadmap

UPDATED_SINCE = "Только записи, изменённые в этот момент или позже (ISO 8601, например 2025-03-31T12:00:00Z)."


def _updated_since(field: str = "updated_at") -> filters.IsoDateTimeFilter:
    return filters.IsoDateTimeFilter(field_name=field, lookup_expr="gte", label=UPDATED_SINCE)


class OrganizationFilter(filters.FilterSet):
    updated_since = _updated_since()
    inn = filters.CharFilter(label="ИНН")
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices, label="Вид организации")
    parent = filters.NumberFilter(field_name="parent_id", label="Вышестоящая организация (id)")
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
    owner = filters.NumberFilter(field_name="owner_id", label="Организация-владелец (id)")
    project = filters.NumberFilter(field_name="project_id", label="Проект (id)")

    class Meta:
        model = Roadmap
        fields: list[str] = []


class ActivityFilter(filters.FilterSet):
    updated_since = _updated_since()
    roadmap = filters.NumberFilter(field_name="roadmap_id", label="Дорожная карта (id)")
    section = filters.NumberFilter(field_name="section_id", label="Раздел (id)")

    class Meta:
        model = Activity
        fields: list[str] = []


class CheckpointFilter(filters.FilterSet):
    updated_since = _updated_since()
    roadmap = filters.NumberFilter(field_name="activity__roadmap_id", label="Дорожная карта (id)")
    activity = filters.NumberFilter(field_name="activity_id", label="Мероприятие (id)")
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
    roadmap = filters.NumberFilter(field_name="roadmap_id", label="Дорожная карта (id)")

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
