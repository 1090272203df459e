"""Checkpoints with their outcome and evidence, and what a report, an acceptance and a return send."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roadmaps import outcomes
from roadmaps.models import Checkpoint, Evidence


class EvidenceSerializer(serializers.ModelSerializer):
    # Text, not a URI: evidence that is a file has an empty link.
    url = serializers.CharField(read_only=True, help_text="Ссылка-подтверждение (пусто у файла).")
    download = serializers.SerializerMethodField(help_text="Адрес файла в API (для ссылки — null).")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "url",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "returned_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse("api:evidence-file", kwargs={"pk": evidence.pk})


class CheckpointSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(read_only=True)
    roadmap = serializers.IntegerField(source="roadmap_id", read_only=True)  # annotated: no join per row
    outcome = serializers.ChoiceField(
        choices=list(outcomes.OUTCOME_LABELS.items()), read_only=True, allow_null=True,
        help_text="Итог на сегодня (вычисляется по датам; null — отменена).",
    )  # fmt: skip
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id", "activity", "roadmap", "sequence", "planned_start", "planned_due", "period_label", "status",
            "outcome", "actual_date", "actual_text", "result", "reported_at", "verified_at", "return_reason",
            "cancel_reason", "evidence", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CheckpointReportSerializer(serializers.Serializer):
    actual_date = serializers.DateField(help_text="Фактическая дата выполнения (не позже сегодняшней).")
    result = serializers.CharField(max_length=5000, help_text="Кратко: что сделано.")
    url = serializers.URLField(
        max_length=1000, required=False, allow_blank=True, help_text="Ссылка-подтверждение."
    )
    file = serializers.FileField(required=False, help_text="Подтверждающий документ (multipart/form-data).")


class CheckpointReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text="Причина возврата, её увидит координатор.")
