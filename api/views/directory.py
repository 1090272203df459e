"""Organisations (read, and upserted by ИНН) and projects."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import OrganizationFilter, ProjectFilter
from api.serializers.directory import OrganizationSerializer, OrganizationUpsertSerializer, ProjectSerializer
from api.views._base import ScopedReadViewSet, with_etag
from organizations import services as organization_services
from organizations.models import Organization
from organizations.onboarding.plan import inn_problem
from organizations.selectors import (
    organization_get_for_change,
    organization_get_for_user,
    organizations_visible_to,
)
from projects.selectors import project_get_for_user, projects_visible_to

UPSERTED_FIELDS = (
    "full_name",
    "short_name",
    "kind",
    "ogrn",
    "address",
    "phone",
    "email",
    "head_name",
    "head_position",
)


@extend_schema_view(
    list=extend_schema(summary="Организации", description="Организации в вашей области видимости."),
    retrieve=extend_schema(summary="Организация"),
)
class OrganizationViewSet(ScopedReadViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return organizations_visible_to(self.request.user).select_related("region")

    def get_for_user(self, pk: int) -> Organization:
        return organization_get_for_user(user=self.request.user, pk=pk)

    @extend_schema(
        summary="Создать или обновить организацию по ИНН",
        description=(
            "Ищет организацию с этим ИНН среди тех, которыми вы управляете (сотрудник органа управления), и"
            " обновляет её; если такой нет — создаёт под `parent`. Ответ 201 — создана, 200 — обновлена."
        ),
        request=OrganizationUpsertSerializer,
        responses={200: OrganizationSerializer, 201: OrganizationSerializer},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request) -> Response:
        serializer = OrganizationUpsertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        problem = inn_problem(data["inn"])
        if problem:
            raise ValidationError({"inn": problem[0].upper() + problem[1:] + "."})
        parent_id = data.pop("parent", None)
        with transaction.atomic():
            organization, created = self._upsert(request.user, data, parent_id)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return with_etag(Response(OrganizationSerializer(organization).data, status=code), organization)

    @staticmethod
    def _upsert(user, data: dict, parent_id: int | None) -> tuple[Organization, bool]:
        found = organizations_visible_to(user).filter(inn=data["inn"]).order_by("pk").first()
        if found is not None:
            organization = organization_get_for_change(user=user, pk=found.pk)
            fields = {name: data[name] for name in UPSERTED_FIELDS if name in data}
            updated = organization_services.organization_update(
                actor=user, organization=organization, expected_version=organization.version, **fields
            )
            return updated, False
        if parent_id is None:
            raise ValidationError({"parent": "Организации с таким ИНН нет: укажите вышестоящую (parent)."})
        parent = organization_get_for_change(user=user, pk=parent_id)
        if not user.has_perm("organizations.manage_organization", parent):
            raise PermissionDenied
        fields = {
            name: data[name]
            for name in UPSERTED_FIELDS
            if name in data and name not in ("full_name", "short_name")
        }
        created = organization_services.organization_create(
            actor=user, full_name=data["full_name"], short_name=data["short_name"], parent=parent,
            inn=data["inn"], **fields,
        )  # fmt: skip
        return created, True


@extend_schema_view(
    list=extend_schema(summary="Проекты", description="Национальные, федеральные и региональные проекты."),
    retrieve=extend_schema(summary="Проект"),
)
class ProjectViewSet(ScopedReadViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return projects_visible_to(self.request.user).select_related("region")

    def get_for_user(self, pk: int):
        return project_get_for_user(user=self.request.user, pk=pk)
