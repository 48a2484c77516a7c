from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.ready, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
]
