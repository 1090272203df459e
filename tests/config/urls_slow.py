"""Routes for tests/config/test_timeouts.py, whose views run real statements against the database."""

from django.urls import path

from tests.config import test_timeouts

urlpatterns = [
    path("slow/", test_timeouts.slow_view),
    path("slow-atomic/", test_timeouts.slow_atomic_view),
    path("backend/", test_timeouts.backend_view),
]
