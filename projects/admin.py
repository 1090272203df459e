"""Projects and their participants in the admin: writable, for superusers only (config/admin.py).

Staff work with projects and participants in the portal (projects/views.py, through projects/services.py);
technical administrators keep the national and federal projects here. A participant's curator person is
checked by Participant.clean (a member of the curator organisation) on the admin's form too.
"""

from django.contrib import admin

from projects.models import Participant, Project


class ParticipantInline(admin.TabularInline):
    model = Participant
    fk_name = "project"
    extra = 0
    autocomplete_fields = ["organization", "curator"]
    raw_id_fields = ["curator_user"]


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
    list_display = ["organization", "project", "curator", "curator_person"]
    list_filter = ["project"]
    search_fields = [
        "organization__short_name",
        "organization__full_name",
        "curator_name",
        "curator_user__last_name",
    ]
    list_select_related = ["organization", "project", "curator", "curator_user"]
    autocomplete_fields = ["organization", "project", "curator"]
    raw_id_fields = ["curator_user"]

    @admin.display(description="куратор")
    def curator_person(self, participant: Participant) -> str:
        return participant.curator_display
