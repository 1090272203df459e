"""/api-tokens/: each signed-in user's own personal API tokens."""

from django.urls import path

from api import views_tokens as views

app_name = "api_tokens"

urlpatterns = [
    path("api-tokens/", views.token_list, name="token-list"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
