"""Organisations and projects as the API shows and accepts them."""

from __future__ import annotations

from rest_framework import serializers

from organizations.models import INN_VALIDATOR, Organization
from projects.models import Project


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Вышестоящая организация (id)."
    )
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True, default=None)
    # Text, not an e-mail format: most organisations have none (an empty string).
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "full_name", "short_name", "kind", "parent", "region_code", "inn", "ogrn", "address",
            "phone", "email", "head_name", "head_position", "is_active", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OrganizationUpsertSerializer(serializers.Serializer):
    """An organisation found by its ИНН among those the user manages, created under `parent` if none."""

    inn = serializers.CharField(max_length=12, validators=[INN_VALIDATOR], help_text="ИНН (10 или 12 цифр).")
    full_name = serializers.CharField(max_length=500)
    short_name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, required=False)
    parent = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Вышестоящая организация (id) — нужна, если такой ещё нет.",
    )
    ogrn = serializers.CharField(max_length=15, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    head_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_position = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ProjectSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    coordinator = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "level", "parent", "coordinator", "region_code", "year_start", "year_end",
            "description", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
