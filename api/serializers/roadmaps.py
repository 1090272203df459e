"""Roadmaps, their sections and activities as the API shows and accepts them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roadmaps.models import Activity, Responsibility, Roadmap, Section


class ResponsibilitySerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Организация (id).")

    class Meta:
        model = Responsibility
        fields = ["organization", "role", "by_agreement", "person"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    roadmap = serializers.PrimaryKeyRelatedField(read_only=True)
    section = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "roadmap", "section", "number", "title", "goal_and_tasks", "place_and_format",
            "planned_result", "result_document", "target_audience", "links", "comment", "responsible_text",
            "deadline_text", "schedule_kind", "schedule_description", "revision_note", "responsibilities",
            "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


# What a client may write on an activity: the fields the portal's edit form changes (services.ACTIVITY_FIELDS
# without the section, which moves with the structure editor).
ACTIVITY_WRITABLE = (
    "number", "title", "goal_and_tasks", "place_and_format", "planned_result", "result_document",
    "target_audience", "links", "comment", "responsible_text", "deadline_text", "revision_note",
)  # fmt: skip


class RoadmapRefSerializer(serializers.Serializer):
    roadmap = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ActivityWriteSerializer(serializers.ModelSerializer):
    """Creating (with `roadmap`) or changing an activity; the services check the roadmap's edition."""

    roadmap = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Дорожная карта (id); только при создании."
    )

    class Meta:
        model = Activity
        fields = ["roadmap", *ACTIVITY_WRITABLE]
        extra_kwargs = {"number": {"validators": []}}


class SectionSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    activities = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "parent", "number", "title", "position", "activities"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_activities(self, section: Section) -> list[int]:
        return [activity.pk for activity in self.context["activities_by_section"].get(section.pk, [])]


class RoadmapSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Организация-владелец (id).")
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Roadmap
        fields = [
            "id", "title", "level", "status", "owner", "project", "year_start", "year_end", "goal", "tasks",
            "expected_results", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class RoadmapDetailSerializer(RoadmapSerializer):
    """A roadmap with its sections (each listing its activities' ids) and every activity in order."""

    sections = serializers.SerializerMethodField()
    activities = ActivitySerializer(many=True, read_only=True, source="ordered_activities")

    class Meta(RoadmapSerializer.Meta):
        fields = [*RoadmapSerializer.Meta.fields, "sections", "activities"]
        read_only_fields = fields

    @staticmethod
    def _activities_by_section(roadmap: Roadmap) -> dict:
        grouped: dict = {}
        for activity in roadmap.ordered_activities:
            grouped.setdefault(activity.section_id, []).append(activity)
        return grouped

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, roadmap: Roadmap) -> list[dict]:
        context = {**self.context, "activities_by_section": self._activities_by_section(roadmap)}
        return SectionSerializer(roadmap.ordered_sections, many=True, context=context).data
