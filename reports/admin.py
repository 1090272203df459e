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
from reports.models import (
    ProductionCalendarDay,
    ReminderLog,
    ReminderSettings,
    ReportRun,
    ReportSchedule,
    WeeklySummaryLog,
)


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "format", "as_of", "status", "progress", "requested_by", "created_at"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["kind", "download_name", "requested_by__username", "error"]
    list_select_related = ["requested_by"]
    # The file is downloaded through the portal's scoped view: MEDIA_ROOT has no URL for an admin link.
    exclude = ["file"]
    date_hierarchy = "created_at"


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "format",
        "cadence",
        "day",
        "roadmap",
        "project",
        "region",
        "last_run_on",
        "is_active",
    ]
    list_filter = ["cadence", "kind", "is_active"]
    search_fields = ["kind", "recipients", "roadmap__title", "project__name"]
    list_select_related = ["roadmap", "project", "region"]


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
