from django.contrib import admin
from django.urls import include, path

from config import views
from config.admin import admin_site_restrict

admin_site_restrict(admin.site)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reports/", include("reports.urls")),
    path("", include("roadmaps.urls")),
    path("", views.home, name="home"),
]
