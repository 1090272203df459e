from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from organizations.admin_scope import ScopedAdminMixin
from roadmaps.models import (
    Activity,
    Checkpoint,
    Evidence,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.resources import ActivityResource, CheckpointResource, IndicatorValueResource


@admin.register(LegalAct)
class LegalActAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issuer", "title"]
    list_filter = ["kind"]
    search_fields = ["number", "issuer", "title"]
    date_hierarchy = "date"


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "number", "title", "parent"]
    ordering = ["position"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["number", "title", "section", "deadline_text"]
    ordering = ["sort_key"]
    show_change_link = True


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["date", "act", "summary"]


@admin.register(Roadmap)
class RoadmapAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_lookup = "owner__path"
    list_display = ["title", "owner", "project", "level", "year_start", "year_end", "status"]
    list_filter = ["status", "level", "project", "year_start"]
    search_fields = ["title", "owner__short_name", "owner__full_name"]
    list_select_related = ["owner", "project"]
    autocomplete_fields = ["owner", "project", "approved_by_act"]
    inlines = [SectionInline, ActivityInline, RevisionInline]

    def has_delete_permission(self, request, obj=None):
        # Approved roadmaps are archived, never deleted.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == Roadmap.Status.DRAFT
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Section)
class SectionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "roadmap__owner__path"
    list_display = ["__str__", "roadmap", "parent", "position"]
    search_fields = ["title"]
    list_select_related = ["roadmap", "parent"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["organization"]
    ordering = ["position"]


class CheckpointInline(admin.TabularInline):
    model = Checkpoint
    extra = 0
    fields = ["sequence", "period_label", "planned_start", "planned_due", "status", "actual_date"]
    ordering = ["sequence"]
    show_change_link = True


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ActivityResource]
    scope_lookup = "roadmap__owner__path"
    list_display = ["number", "title", "roadmap", "deadline_text", "schedule_kind"]
    list_filter = ["schedule_kind", "roadmap__status"]
    search_fields = ["number", "title", "deadline_text", "responsible_text"]
    list_select_related = ["roadmap"]
    autocomplete_fields = ["roadmap", "section"]
    readonly_fields = ["schedule_kind", "schedule_description", "schedule_problems", "version"]
    inlines = [ResponsibilityInline, CheckpointInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["url", "file", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_by", "uploaded_at", "original_name"]


@admin.register(Checkpoint)
class CheckpointAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [CheckpointResource]
    scope_lookup = "activity__roadmap__owner__path"
    list_display = ["__str__", "planned_due", "status", "actual_date", "reported_by", "verified_by"]
    list_filter = ["status"]
    search_fields = ["activity__title", "activity__number", "period_label"]
    list_select_related = ["activity", "reported_by", "verified_by"]
    raw_id_fields = ["activity"]
    date_hierarchy = "planned_due"
    inlines = [EvidenceInline]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    ordering = ["year"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "roadmap__owner__path"
    list_display = ["name", "unit", "roadmap", "activity"]
    search_fields = ["name"]
    list_select_related = ["roadmap", "activity"]
    raw_id_fields = ["roadmap", "activity"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [IndicatorValueResource]
    scope_lookup = "indicator__roadmap__owner__path"
    list_display = ["indicator", "year", "organization", "value", "reported_by"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "organization__short_name"]
    list_select_related = ["indicator", "organization", "reported_by"]
    raw_id_fields = ["indicator"]
    autocomplete_fields = ["organization"]
