"""Report runs the user requested and their files, through the reports app's own scope check."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action

from api.filters import ReportRunFilter
from api.serializers.reports import ReportRunSerializer
from api.views._base import ScopedReadViewSet, pk_of
from reports import selectors
from reports.models import ReportRun
from reports.views import run_file_response


@extend_schema_view(
    list=extend_schema(
        summary="Ваши формирования отчётов", description="Запрошенные вами отчёты, новые последними."
    ),
    retrieve=extend_schema(summary="Формирование отчёта"),
)
class ReportRunViewSet(ScopedReadViewSet):
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilter
    cursor_ordering = ("created_at", "pk")

    queryset = ReportRun.objects.none()  # for the schema; requests read get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return ReportRun.objects.requested_by_user(self.request.user)

    def get_for_user(self, pk: int) -> ReportRun:
        return selectors.report_run_get_for_user(user=self.request.user, pk=pk)

    @extend_schema(
        summary="Файл отчёта",
        description="Когда отчёт готов; контрольная сумма — в заголовке X-Content-SHA256.",
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="Файл отчёта")},
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        return run_file_response(self.get_for_user(pk_of(self)))
