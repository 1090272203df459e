"""Roadmaps (a detail with its sections and activities) and activities, created and changed in an edition."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from api.etags import expected_version
from api.filters import ActivityFilter, RoadmapFilter
from api.serializers.roadmaps import (
    ACTIVITY_WRITABLE,
    ActivitySerializer,
    ActivityWriteSerializer,
    RoadmapDetailSerializer,
    RoadmapRefSerializer,
    RoadmapSerializer,
)
from api.views._base import ScopedReadViewSet, pk_of, visible_roadmap_ids, with_etag
from roadmaps import services
from roadmaps.access import (
    activity_get_for_user,
    roadmap_get_for_structure,
    roadmap_get_for_user,
    roadmaps_visible_to,
)
from roadmaps.models import Activity, Responsibility, Roadmap, Section

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True,
    description="ETag записи из последнего чтения; без него — 428, если запись с тех пор изменилась — 412.",
)  # fmt: skip


def _responsibilities() -> Prefetch:
    return Prefetch("responsibilities", queryset=Responsibility.objects.order_by("position", "pk"))


@extend_schema_view(
    list=extend_schema(summary="Дорожные карты", description="Дорожные карты, которые вы видите на портале."),
    retrieve=extend_schema(
        summary="Дорожная карта целиком",
        description="Паспорт, разделы (с идентификаторами своих мероприятий) и все мероприятия по порядку.",
    ),
)
class RoadmapViewSet(ScopedReadViewSet):
    filterset_class = RoadmapFilter

    def get_serializer_class(self):
        return RoadmapDetailSerializer if self.action == "retrieve" else RoadmapSerializer

    def get_queryset(self):
        return roadmaps_visible_to(self.request.user)

    def get_for_user(self, pk: int) -> Roadmap:
        roadmap = roadmap_get_for_user(user=self.request.user, pk=pk)
        # Three more queries whatever the roadmap's size: sections, activities, their responsibilities.
        sections = Section.objects.order_by("position", "pk")
        activities = Activity.objects.in_roadmap_order().prefetch_related(_responsibilities())
        prefetch_related_objects(
            [roadmap],
            Prefetch("sections", queryset=sections, to_attr="ordered_sections"),
            Prefetch("activities", queryset=activities, to_attr="ordered_activities"),
        )
        return roadmap


@extend_schema_view(
    list=extend_schema(summary="Мероприятия"),
    retrieve=extend_schema(summary="Мероприятие"),
    create=extend_schema(
        summary="Добавить мероприятие",
        description="В черновик дорожной карты или в открытую редакцию утверждённой (иначе 403 с причиной).",
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer},
    ),
    partial_update=extend_schema(
        summary="Изменить мероприятие",
        description="Только в черновике или открытой редакции; нужен заголовок If-Match.",
        request=ActivityWriteSerializer,
        responses={200: ActivitySerializer},
        parameters=[IF_MATCH],
    ),
)
class ActivityViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadViewSet):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        visible = Activity.objects.filter(roadmap_id__in=visible_roadmap_ids(self.request.user))
        return visible.prefetch_related(_responsibilities())

    def get_for_user(self, pk: int) -> Activity:
        return activity_get_for_user(user=self.request.user, pk=pk)

    def _written(self, activity: Activity, code: int) -> Response:
        fresh = Activity.objects.prefetch_related(_responsibilities()).get(pk=activity.pk)
        return with_etag(Response(ActivitySerializer(fresh).data, status=code), fresh)

    def create(self, request, *args, **kwargs) -> Response:
        # The roadmap first: outside the scope is 404 and the wrong role 403 whatever the body holds.
        target = RoadmapRefSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        roadmap = roadmap_get_for_structure(user=request.user, pk=target.validated_data["roadmap"])
        serializer = ActivityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("roadmap")
        activity = services.activity_create(
            actor=request.user, roadmap=roadmap, number=data.pop("number"), title=data.pop("title"), **data
        )
        return self._written(activity, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs) -> Response:
        activity = activity_get_for_user(user=request.user, pk=pk_of(self), write=True)
        version = expected_version(request, activity)
        serializer = ActivityWriteSerializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {
            name: value for name, value in serializer.validated_data.items() if name in ACTIVITY_WRITABLE
        }
        updated = services.activity_update(
            actor=request.user, activity=activity, expected_version=version, **fields
        )
        return self._written(updated, status.HTTP_200_OK)

    def update(self, request, *args, **kwargs) -> Response:  # PUT is not offered: a change is a PATCH
        return self.partial_update(request, *args, **kwargs)
