from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.access_log, name="log"),
    path("audit/export/", views.access_log_export, name="export"),
    path("audit/reviews/", views.monthly_reviews, name="reviews"),
]
