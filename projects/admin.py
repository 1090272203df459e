"""Projects and their participants in the admin: writable, for superusers only (config/admin.py).

Directory data without services yet; technical administrators keep it here.
"""

from django.contrib import admin

from projects.models import Participant, Project


class ParticipantInline(admin.TabularInline):
    model = Participant
    fk_name = "project"
    extra = 0
    autocomplete_fields = ["organization", "curator"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "coordinator", "year_start", "year_end"]
    list_filter = ["level", "region"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "coordinator"]
    autocomplete_fields = ["parent", "coordinator"]
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["organization", "project", "curator", "curator_name"]
    list_filter = ["project"]
    search_fields = ["organization__short_name", "organization__full_name", "curator_name"]
    list_select_related = ["organization", "project", "curator"]
    autocomplete_fields = ["organization", "project", "curator"]
