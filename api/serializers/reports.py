"""Report runs and where their file is downloaded."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import ReportRun


class ReportRunSerializer(serializers.ModelSerializer):
    roadmap = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    download = serializers.SerializerMethodField(help_text="Адрес файла в API, когда отчёт готов.")

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "format", "roadmap", "project", "as_of", "status", "progress", "size", "sha256",
            "download_name", "error", "created_at", "started_at", "finished_at", "download",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download(self, run: ReportRun) -> str | None:
        if run.status != ReportRun.Status.DONE or not run.file:
            return None
        return reverse("api:reportrun-file", kwargs={"pk": run.pk})
