from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_update, name="project-update"),
    path("projects/<int:pk>/participants/", views.participant_list, name="participant-list"),
    path("projects/<int:pk>/participants.xlsx", views.participant_export, name="participant-export"),
    path("projects/<int:pk>/participants/add/", views.participant_add, name="participant-add"),
    path("projects/participants/<int:pk>/edit/", views.participant_update, name="participant-update"),
    path("projects/participants/<int:pk>/remove/", views.participant_remove, name="participant-remove"),
]
