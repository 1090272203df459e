"""Report runs, schedules and reminders in the admin: read-only, for a superuser who investigates.

Runs are requested, schedules edited and reminders sent through `reports.services` in the portal, which
check who may report on what; the admin only lists and shows them. Two exceptions are technical settings
with no page in the portal: the reminder rules and the production calendar, which a superuser edits here
(history records who changed what).
"""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from config.admin import ReadOnlyAdmin
from reports.builders import REGISTRY
from reports.models import (
    ProductionCalendarDay,
    ReminderLog,
    ReminderSettings,
    ReportRun,
    ReportSchedule,
    WeeklySummaryLog,
)


class ReportKindFilter(admin.SimpleListFilter):
    """The report kinds by their Russian titles (the column holds the registry's codes)."""

    title = "вид отчёта"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [(code, builder.title) for code, builder in REGISTRY.items()]

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class ReportTitleMixin:
    @admin.display(description="вид отчёта", ordering="kind")
    def report(self, obj) -> str:
        return obj.kind_title


@admin.register(ReportRun)
class ReportRunAdmin(ReportTitleMixin, ReadOnlyAdmin):
    list_display = ["id", "report", "format", "as_of", "status", "progress", "requested_by", "created_at"]
    list_filter = ["status", ReportKindFilter, "format"]
    search_fields = ["kind", "download_name", "requested_by__username", "error"]
    list_select_related = ["requested_by"]
    # The file is downloaded through the portal's scoped view: MEDIA_ROOT has no URL for an admin link.
    exclude = ["file", "kind"]  # the kind is shown by its title
    readonly_fields = ["report"]
    date_hierarchy = "created_at"


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReportTitleMixin, ReadOnlyAdmin):
    list_display = [
        "id",
        "report",
        "format",
        "cadence",
        "day",
        "roadmap",
        "project",
        "region",
        "last_run_on",
        "is_active",
    ]
    list_filter = ["cadence", ReportKindFilter, "is_active"]
    search_fields = ["kind", "recipients", "roadmap__title", "project__name"]
    list_select_related = ["roadmap", "project", "region"]
    exclude = ["kind"]  # shown by its title
    readonly_fields = ["report"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["checkpoint", "stage", "sent_on", "sent_at"]
    list_filter = ["stage"]
    search_fields = ["checkpoint__activity__number", "checkpoint__activity__title"]
    list_select_related = ["checkpoint__activity"]
    date_hierarchy = "sent_at"


@admin.register(WeeklySummaryLog)
class WeeklySummaryLogAdmin(ReadOnlyAdmin):
    list_display = ["organization", "week_start", "overdue", "sent_at"]
    search_fields = ["organization__short_name"]
    list_select_related = ["organization"]
    date_hierarchy = "week_start"


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(SimpleHistoryAdmin):
    """One row of rules: added once (while none is saved the defaults apply), changed, never deleted."""

    list_display = [
        "__str__",
        "days_before",
        "overdue_repeat_days",
        "quiet_on_days_off",
        "weekly_summary_weekday",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProductionCalendarDay)
class ProductionCalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working", "note"]
    list_filter = ["is_working"]
    search_fields = ["note"]
    date_hierarchy = "date"
    ordering = ["date"]
