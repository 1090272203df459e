"""Checkpoints with their outcome and evidence: reported by coordinators, accepted or returned by staff."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.filters import CheckpointFilter
from api.serializers.checkpoints import (
    CheckpointReportSerializer,
    CheckpointReturnSerializer,
    CheckpointSerializer,
)
from api.views._base import ScopedReadViewSet, pk_of, visible_roadmap_ids, with_etag
from roadmaps import services
from roadmaps.access import (
    checkpoint_get_for_report,
    checkpoint_get_for_user,
    checkpoint_get_for_verify,
    evidence_get_for_user,
)
from roadmaps.models import Checkpoint, Evidence
from roadmaps.views.evidence import attachment_response


def _read(queryset):
    """The outcome as of today (SQL, as every report computes it) and the evidence: two queries a page."""
    evidence = Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    return queryset.with_outcome_as_of(timezone.localdate()).prefetch_related(evidence)


@extend_schema_view(
    list=extend_schema(summary="Контрольные точки", description="С итогом на сегодня и подтверждениями."),
    retrieve=extend_schema(summary="Контрольная точка"),
)
class CheckpointViewSet(ScopedReadViewSet):
    serializer_class = CheckpointSerializer
    filterset_class = CheckpointFilter

    def get_queryset(self):
        visible = Checkpoint.objects.filter(activity__roadmap_id__in=visible_roadmap_ids(self.request.user))
        return _read(visible.annotate(roadmap_id=F("activity__roadmap_id")))

    def get_for_user(self, pk: int) -> Checkpoint:
        return self._fresh(checkpoint_get_for_user(user=self.request.user, pk=pk))

    @staticmethod
    def _fresh(checkpoint: Checkpoint) -> Checkpoint:
        return _read(Checkpoint.objects.annotate(roadmap_id=F("activity__roadmap_id"))).get(pk=checkpoint.pk)

    def _answer(self, checkpoint: Checkpoint) -> Response:
        fresh = self._fresh(checkpoint)
        return with_etag(Response(CheckpointSerializer(fresh).data), fresh)

    @extend_schema(
        summary="Отчитаться о выполнении",
        description=(
            "Координатор ответственной организации: фактическая дата, результат и подтверждение (ссылка или"
            " файл в multipart/form-data). Только по утверждённой дорожной карте и открытому периоду."
        ),
        request={
            "multipart/form-data": CheckpointReportSerializer,
            "application/json": CheckpointReportSerializer,
        },
        responses={200: CheckpointSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request, pk=None) -> Response:
        checkpoint = checkpoint_get_for_report(user=request.user, pk=pk_of(self))
        serializer = CheckpointReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.checkpoint_report(
            actor=request.user, checkpoint=checkpoint, actual_date=data["actual_date"], result=data["result"],
            url=data.get("url", ""), file=data.get("file"),
        )  # fmt: skip
        return self._answer(checkpoint)

    @extend_schema(summary="Принять отчёт", request=None, responses={200: CheckpointSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None) -> Response:
        checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk_of(self))
        services.checkpoint_accept(actor=request.user, checkpoint=checkpoint)
        return self._answer(checkpoint)

    @extend_schema(
        summary="Вернуть отчёт с причиной",
        request=CheckpointReturnSerializer,
        responses={200: CheckpointSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None) -> Response:
        checkpoint = checkpoint_get_for_verify(user=request.user, pk=pk_of(self))
        serializer = CheckpointReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.checkpoint_return(
            actor=request.user, checkpoint=checkpoint, reason=serializer.validated_data["reason"]
        )
        return self._answer(checkpoint)


class EvidenceFileViewSet(viewsets.GenericViewSet):
    """Only the file download: evidence is listed with its checkpoint."""

    lookup_value_regex = r"[0-9]+"
    queryset = Evidence.objects.none()

    @extend_schema(
        summary="Файл подтверждающего документа",
        description="Тот же доступ, что у контрольной точки; у ссылки файла нет — 404.",
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="Файл")},
    )
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, pk=None):
        evidence = evidence_get_for_user(user=request.user, pk=pk_of(self))
        if not evidence.file:
            raise Http404
        return attachment_response(evidence)
