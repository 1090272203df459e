"""The directory: organisations under /organizations/, their people under /people/ and each person's
/notifications/, one namespace."""

from django.urls import include, path

from organizations import urls_notifications, urls_people, views
from organizations.onboarding import views as onboarding

app_name = "organizations"

organization_patterns = [
    path("", views.organization_list, name="organization-list"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("<int:pk>/add/", views.organization_create, name="organization-create"),
    path("<int:pk>/edit/", views.organization_update, name="organization-update"),
    path("<int:pk>/move/", views.organization_move, name="organization-move"),
    path("<int:pk>/deactivate/", views.organization_deactivate, name="organization-deactivate"),
    path("<int:pk>/reactivate/", views.organization_reactivate, name="organization-reactivate"),
    path("excel/", onboarding.onboarding_upload, name="onboarding-upload"),
    path("excel/template.xlsx", onboarding.onboarding_template, name="onboarding-template"),
    path("excel/export.xlsx", onboarding.onboarding_export, name="onboarding-export"),
    path("excel/<slug:token>/", onboarding.onboarding_preview, name="onboarding-preview"),
    path("excel/<slug:token>/confirm/", onboarding.onboarding_confirm, name="onboarding-confirm"),
]

urlpatterns = [
    path("organizations/", include(organization_patterns)),
    path("people/", include(urls_people.urlpatterns)),
    path("notifications/", include(urls_notifications.urlpatterns)),
]
