"""Roadmaps in the admin: read-only, for a superuser who investigates.

Every write to a roadmap and what it contains goes through `roadmaps.services` in the portal (scope,
statuses, regenerated checkpoints, history, data version); the admin would go around all of it, so it
only lists, shows, exports and shows the history (never a revert).
"""

from django.contrib import admin

from config.admin import ExportAdminMixin, ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline
from roadmaps.models import (
    Activity,
    Checkpoint,
    CheckpointReopening,
    CheckpointTransition,
    ClosedPeriod,
    Evidence,
    ImportConfirmation,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LegalAct,
    Responsibility,
    Revision,
    RevisionChange,
    Roadmap,
    Section,
)
from roadmaps.resources import ActivityResource, CheckpointResource, IndicatorValueResource


@admin.register(LegalAct)
class LegalActAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "issuer", "title"]
    list_filter = ["kind"]
    search_fields = ["number", "issuer", "title"]
    date_hierarchy = "date"


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["position", "number", "title", "parent"]
    ordering = ["position"]


class ActivityInline(ReadOnlyInline):
    model = Activity
    fields = ["number", "title", "section", "deadline_text"]
    ordering = ["sort_key"]


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ["date", "status", "act", "summary"]


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "owner", "project", "level", "year_start", "year_end", "status"]
    list_filter = ["status", "level", "project", "year_start"]
    search_fields = ["title", "owner__short_name", "owner__full_name"]
    list_select_related = ["owner", "project"]
    readonly_fields = ["data_version", "version", "created_at", "updated_at"]
    inlines = [SectionInline, ActivityInline, RevisionInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "roadmap", "parent", "position"]
    search_fields = ["title", "roadmap__title"]
    list_select_related = ["roadmap", "parent"]


class ResponsibilityInline(ReadOnlyInline):
    model = Responsibility
    fields = ["position", "organization", "role", "by_agreement", "person"]
    ordering = ["position"]


class CheckpointInline(ReadOnlyInline):
    model = Checkpoint
    fields = ["sequence", "period_label", "planned_start", "planned_due", "status", "actual_date"]
    ordering = ["sequence"]


@admin.register(Activity)
class ActivityAdmin(ExportAdminMixin, ReadOnlyHistoryAdmin):
    resource_classes = [ActivityResource]
    list_display = ["number", "title", "roadmap", "deadline_text", "schedule_kind"]
    list_filter = ["schedule_kind", "roadmap__status"]
    search_fields = ["number", "title", "deadline_text", "responsible_text"]
    list_select_related = ["roadmap"]
    readonly_fields = ["schedule_kind", "schedule_description", "schedule_problems", "version"]
    inlines = [ResponsibilityInline, CheckpointInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "activity", "role", "by_agreement", "person"]
    list_filter = ["role", "by_agreement"]
    search_fields = ["organization__short_name", "organization__full_name", "activity__title", "person"]
    list_select_related = ["organization", "activity"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["url", "original_name", "uploaded_by", "uploaded_at", "returned_at"]


class TransitionInline(ReadOnlyInline):
    model = CheckpointTransition
    fields = ["at", "status", "actor", "note"]
    show_change_link = False


@admin.register(Checkpoint)
class CheckpointAdmin(ExportAdminMixin, ReadOnlyHistoryAdmin):
    resource_classes = [CheckpointResource]
    list_display = ["__str__", "planned_due", "status", "actual_date", "reported_by", "verified_by"]
    list_filter = ["status"]
    search_fields = ["activity__title", "activity__number", "period_label"]
    list_select_related = ["activity", "reported_by", "verified_by"]
    date_hierarchy = "planned_due"
    inlines = [TransitionInline, EvidenceInline]


@admin.register(CheckpointTransition)
class CheckpointTransitionAdmin(ReadOnlyAdmin):
    list_display = ["checkpoint", "status", "at", "actor"]
    list_filter = ["status"]
    search_fields = ["checkpoint__activity__number", "checkpoint__activity__title", "note"]
    list_select_related = ["checkpoint__activity", "actor"]
    date_hierarchy = "at"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "checkpoint", "uploaded_by", "uploaded_at", "returned_at"]
    search_fields = ["url", "original_name", "checkpoint__activity__title"]
    list_select_related = ["checkpoint__activity", "uploaded_by"]
    # The file itself is served by the portal's scoped view: MEDIA_ROOT has no URL for an admin link.
    exclude = ["file"]
    date_hierarchy = "uploaded_at"


class IndicatorTargetInline(ReadOnlyInline):
    model = IndicatorTarget
    fields = ["year", "organization", "value"]
    ordering = ["year", "organization"]
    show_change_link = False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "unit", "aggregation", "roadmap", "activity"]
    search_fields = ["name", "roadmap__title"]
    list_select_related = ["roadmap", "activity"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "year", "organization", "value"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "organization__short_name"]
    list_select_related = ["indicator", "organization"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ExportAdminMixin, ReadOnlyHistoryAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ["indicator", "year", "organization", "value", "weight", "reported_by", "reported_at"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "organization__short_name"]
    list_select_related = ["indicator", "organization", "reported_by"]


class RevisionChangeInline(ReadOnlyInline):
    model = RevisionChange
    fields = ["at", "subject", "description", "actor"]
    show_change_link = False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "roadmap", "status", "act", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["roadmap__title", "summary"]
    list_select_related = ["roadmap", "act", "created_by"]
    inlines = [RevisionChangeInline]


@admin.register(RevisionChange)
class RevisionChangeAdmin(ReadOnlyAdmin):
    list_display = ["subject", "revision", "actor", "at"]
    search_fields = ["subject", "description", "revision__roadmap__title"]
    list_select_related = ["revision__roadmap", "actor"]
    date_hierarchy = "at"


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "roadmap", "organization", "closed_by", "closed_at", "reopened_at"]
    list_filter = [("reopened_at", admin.EmptyFieldListFilter)]
    search_fields = ["label", "roadmap__title", "organization__short_name"]
    list_select_related = ["roadmap", "organization", "closed_by"]


@admin.register(CheckpointReopening)
class CheckpointReopeningAdmin(ReadOnlyHistoryAdmin):
    list_display = ["checkpoint", "period", "actor", "at"]
    search_fields = ["checkpoint__activity__title", "reason"]
    list_select_related = ["checkpoint__activity", "period", "actor"]


@admin.register(ImportConfirmation)
class ImportConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["token", "roadmap", "confirmed_by", "confirmed_at"]
    list_select_related = ["roadmap", "confirmed_by"]
    date_hierarchy = "confirmed_at"
