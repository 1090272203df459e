"""Report runs, schedules and reminders in the admin: read-only, for a superuser who investigates.

Runs are requested, schedules edited and reminders sent through `reports.services` in the portal, which
check who may report on what; the admin only lists and shows them.
"""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from reports.models import ReminderLog, ReportRun, ReportSchedule


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
    list_display = ["checkpoint", "stage", "sent_at"]
    list_filter = ["stage"]
    search_fields = ["checkpoint__activity__number", "checkpoint__activity__title"]
    list_select_related = ["checkpoint__activity"]
    date_hierarchy = "sent_at"
