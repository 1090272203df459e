"""/api/v1/: the REST API, its OpenAPI schema and the Swagger UI (served from local static files)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from api.views.checkpoints import CheckpointViewSet, EvidenceFileViewSet
from api.views.directory import OrganizationViewSet, ProjectViewSet
from api.views.indicators import IndicatorViewSet
from api.views.reports import ReportRunViewSet
from api.views.roadmaps import ActivityViewSet, RoadmapViewSet

app_name = "api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("projects", ProjectViewSet, basename="project")
router.register("roadmaps", RoadmapViewSet, basename="roadmap")
router.register("activities", ActivityViewSet, basename="activity")
router.register("checkpoints", CheckpointViewSet, basename="checkpoint")
router.register("evidence", EvidenceFileViewSet, basename="evidence")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("report-runs", ReportRunViewSet, basename="reportrun")

v1 = [
    *router.urls,
    # The schema describes no data: an integrator reads it before they have a token.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="docs",
    ),
]
# The API answers 401 in its own JSON, never the login page's redirect: its views opt out of
# LoginRequiredMiddleware and authenticate themselves (token or session).
for pattern in v1:
    login_not_required(pattern.callback)

urlpatterns = [path("v1/", include(v1))]
