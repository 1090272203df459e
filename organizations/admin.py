"""Regions, organisations and memberships in the admin: writable, for superusers only (config/admin.py).

Directory data has no services yet; until people and organisations are managed in the portal, technical
administrators keep them here.
"""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from config.admin import ExportAdminMixin, ReadOnlyHistoryAdmin, ReadOnlyInline
from organizations.models import Membership, Municipality, Organization, OrganizationAlias, Region
from organizations.resources import OrganizationResource


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "oktmo"]
    list_filter = ["region"]
    search_fields = ["name", "oktmo"]
    list_select_related = ["region"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class OrganizationAliasInline(ReadOnlyInline):
    model = OrganizationAlias
    fields = ["spelling", "confirmed_by", "created_at"]


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(ReadOnlyHistoryAdmin):
    """Spellings staff confirmed on imports: read-only, since they are added by confirming an import
    (organizations.services.organization_aliases_add)."""

    list_display = ["spelling", "organization", "confirmed_by", "created_at"]
    list_filter = ["organization__region"]
    search_fields = ["spelling", "organization__short_name"]
    list_select_related = ["organization", "confirmed_by"]


@admin.register(Organization)
class OrganizationAdmin(ExportAdminMixin, ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["short_name", "full_name", "kind", "region", "municipality", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["short_name", "full_name", "inn", "known_spellings__spelling"]
    list_select_related = ["region", "municipality", "parent"]
    autocomplete_fields = ["parent", "municipality"]
    readonly_fields = ["path"]
    inlines = [MembershipInline, OrganizationAliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "position"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__short_name"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]
