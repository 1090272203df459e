from django.urls import path

from archives import views

app_name = "archives"

urlpatterns = [
    path("", views.archive_list, name="archive-list"),
    path("<int:pk>/", views.archive_detail, name="archive-detail"),
    path("<int:pk>/download/", views.archive_download, name="archive-download"),
]
