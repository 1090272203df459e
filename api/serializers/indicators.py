"""Indicators with their targets and the actual values the user may see; a value a coordinator sets."""

from __future__ import annotations

from rest_framework import serializers

from roadmaps.models import Indicator, IndicatorTarget, IndicatorValue


class IndicatorTargetSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "organization", "value"]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["year", "organization", "value", "weight", "reported_at"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    roadmap = serializers.PrimaryKeyRelatedField(read_only=True)
    activity = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    targets = IndicatorTargetSerializer(many=True, read_only=True)
    values = IndicatorValueSerializer(many=True, read_only=True, source="visible_values")

    class Meta:
        model = Indicator
        fields = [
            "id", "roadmap", "activity", "name", "unit", "base_value", "base_year", "aggregation", "position",
            "targets", "values", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class IndicatorValueWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    organization = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Организация (id), за которую значение."
    )
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    weight = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
