from django.contrib import admin
from django.urls import include, path

from config import views

admin.site.site_header = "Портал дорожных карт — администрирование"
admin.site.site_title = "Портал дорожных карт"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reports/", include("reports.urls")),
    path("", include("roadmaps.urls")),
    path("", views.home, name="home"),
]
