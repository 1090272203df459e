from django.contrib import admin
from django.db.models import Q

from organizations.scope import user_scope
from reports.models import ReminderLog, ReportRun, ReportSchedule


class _ScopedByRoadmapOrRegion:
    """Staff see rows whose roadmap, or whose region's organisations, lie in their staff scope."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        scope = user_scope(request.user)
        by_roadmap = scope.q("roadmap__owner__path", "staff")
        by_project = Q(roadmap__isnull=True) & scope.q("project__roadmaps__owner__path", "staff")
        return queryset.filter(by_roadmap | by_project).distinct()


@admin.register(ReportRun)
class ReportRunAdmin(_ScopedByRoadmapOrRegion, admin.ModelAdmin):
    list_display = ["pk", "kind", "format", "as_of", "status", "progress", "requested_by", "created_at"]
    list_filter = ["status", "kind", "format"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReportSchedule)
class ReportScheduleAdmin(_ScopedByRoadmapOrRegion, admin.ModelAdmin):
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
    list_select_related = ["roadmap", "project", "region"]
    raw_id_fields = ["roadmap", "project", "region", "created_by"]
    readonly_fields = ["last_run_on"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["checkpoint", "stage", "sent_at"]
    list_filter = ["stage"]
    raw_id_fields = ["checkpoint"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            user_scope(request.user).q("checkpoint__activity__roadmap__owner__path", "staff")
        )
