from django.contrib import admin
from django.urls import include, path

from config import help as portal_help
from config import sso, views
from config.admin import admin_site_restrict
from config.auth import PortalAuthenticationForm

admin_site_restrict(admin.site)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("help/", portal_help.help_index, name="help"),
    path("help/<slug:slug>/", portal_help.help_page, name="help-page"),
    path("admin/", admin.site.urls),
    # Before Django's own: the same names and addresses, throttled.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/login/", sso.LoginView.as_view(authentication_form=PortalAuthenticationForm), name="login"
    ),
    path("accounts/logout/", sso.LogoutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect): 404 unless OIDC_ENABLED.
    path("accounts/oidc/authenticate/", sso.oidc_authenticate, name="oidc_authentication_init"),
    path("accounts/oidc/callback/", sso.oidc_callback, name="oidc_authentication_callback"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reports/", include("reports.urls")),
    path("archives/", include("archives.urls")),
    path("api/", include("api.urls")),
    path("", include("api.urls_tokens")),
    path("", include("organizations.urls")),
    path("", include("projects.urls")),
    path("", include("roadmaps.urls")),
    path("", views.home, name="home"),
]
