from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("service-records/", views.service_records_create, name="service_records"),
    path("<uuid:uuid>/", views.job_detail, name="job"),
    path("<uuid:uuid>/progress/", views.job_progress, name="progress"),
    path("<uuid:uuid>/download/", views.job_download, name="download"),
]
