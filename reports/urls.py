from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/download/", views.run_download, name="run-download"),
    path("public/runs/<str:token>/", views.run_public_download, name="run-public-download"),
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/new/", views.schedule_form, name="schedule-create"),
    path("schedules/<int:pk>/", views.schedule_form, name="schedule-update"),
]
