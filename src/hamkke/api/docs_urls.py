"""/api/: the guide page with the user's tokens, the OpenAPI schema and the docs (local static files)."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import pages

app_name = "api"
urlpatterns = [
    path("", pages.index, name="index"),
    path("tokens/new/", pages.token_create, name="token_create"),
    path("tokens/<uuid:uuid>/revoke/", pages.token_revoke, name="token_revoke"),
    # Machine clients fetch the schema with their token: DRF authenticates, not the log-in redirect.
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # The docs are pages for people: a browser without a session goes to the log-in page.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", login_required(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]
