"""Indicators with their targets and the values the user may see; a coordinator sets their value."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import IndicatorFilter
from api.serializers.indicators import IndicatorSerializer, IndicatorValueWriteSerializer
from api.views._base import ScopedReadViewSet, pk_of, visible_roadmap_ids, with_etag
from organizations.models import Organization
from organizations.scope import user_scope
from roadmaps import services
from roadmaps.access import indicator_get_for_breakdown, indicator_get_for_value
from roadmaps.models import Indicator, IndicatorTarget, IndicatorValue


def _read(queryset, user):
    """Targets and the values of organisations in the user's scope: two queries a page."""
    values = IndicatorValue.objects.filter(user_scope(user).q("organization__path")).order_by(
        "year", "organization_id"
    )
    return queryset.prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year", "organization_id", "pk")),
        Prefetch("values", queryset=values, to_attr="visible_values"),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Показатели",
        description="С целевыми значениями и фактическими значениями организаций вашей области видимости.",
    ),
    retrieve=extend_schema(summary="Показатель"),
)
class IndicatorViewSet(ScopedReadViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        visible = Indicator.objects.filter(roadmap_id__in=visible_roadmap_ids(self.request.user))
        return _read(visible, self.request.user)

    def get_for_user(self, pk: int) -> Indicator:
        indicator = indicator_get_for_breakdown(user=self.request.user, pk=pk)
        return _read(Indicator.objects.all(), self.request.user).get(pk=indicator.pk)

    @extend_schema(
        summary="Внести фактическое значение",
        description=(
            "Координатор ответственной организации — за свою организацию и год;"
            " история хранит прежние значения."
        ),
        request=IndicatorValueWriteSerializer,
        responses={200: IndicatorSerializer},
    )
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None) -> Response:
        indicator = indicator_get_for_value(user=request.user, pk=pk_of(self))
        serializer = IndicatorValueWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scope = user_scope(request.user)
        organization = get_object_or_404(
            Organization.objects.filter(scope.q("path", "coordinator")), pk=data["organization"]
        )
        services.indicator_value_set(
            actor=request.user, indicator=indicator, year=data["year"], organization=organization,
            value=data["value"], weight=data.get("weight"),
        )  # fmt: skip
        fresh = _read(Indicator.objects.all(), request.user).get(pk=indicator.pk)
        return with_etag(Response(IndicatorSerializer(fresh).data), fresh)
