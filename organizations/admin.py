"""Regions, organisations and memberships in the admin: for superusers only (config/admin.py).

Organisations are managed in the portal (/organizations/); here a technical administrator adds one (a
region's top authority has no parent, so only here) and corrects its details, both through the services.
Where it sits in the tree and whether it is active are changed only on its portal page, where the rules
on moving and deactivating are checked.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from config.admin import ExportAdminMixin, ReadOnlyHistoryAdmin, ReadOnlyInline
from organizations import services
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


class MembershipInline(ReadOnlyInline):
    """Who holds which role here; roles are given and taken on the portal's people page (with its rules)."""

    model = Membership
    fields = ["user", "role", "position"]


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


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [*services.EDITABLE_FIELDS, "parent", "region", "is_active"]

    def clean_parent(self) -> Organization | None:
        # Said on the form; organization_create refuses it too, but there it would be a 500 page.
        parent = self.cleaned_data.get("parent")
        if parent is not None and not parent.is_active:
            raise forms.ValidationError("Вышестоящая организация не действует.")
        return parent


@admin.register(Organization)
class OrganizationAdmin(ExportAdminMixin, ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    form = OrganizationAdminForm
    list_display = ["short_name", "full_name", "kind", "region", "municipality", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["short_name", "full_name", "inn", "known_spellings__spelling"]
    list_select_related = ["region", "municipality", "parent"]
    autocomplete_fields = ["parent", "municipality"]
    inlines = [MembershipInline, OrganizationAliasInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is None:  # a new one is placed here once; organization_create checks the parent
            return ["path"]
        return ["path", "parent", "region", "is_active", "portal_page"]

    @admin.display(description="в портале")
    def portal_page(self, obj: Organization) -> str:
        url = reverse("organizations:organization-detail", args=[obj.pk])
        return format_html(
            '<a href="{}">Перенести, отключить или включить — на странице организации в портале</a>', url
        )

    def save_model(self, request, obj: Organization, form, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = services.organization_update(
                actor=request.user, organization=obj, expected_version=obj.version, **changed
            )
        elif obj.parent_id:
            full_name, short_name = fields.pop("full_name"), fields.pop("short_name")
            saved = services.organization_create(
                actor=request.user, full_name=full_name, short_name=short_name, parent=obj.parent, **fields
            )
        else:
            # A region's top authority: no parent to check rights on; the superuser places it.
            obj.full_clean()
            obj._history_user = request.user
            obj.save()
            return
        # The admin goes on with `obj` (its log entry, the inlines, the redirect): make it the saved row.
        for field in Organization._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "position"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__short_name"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]
