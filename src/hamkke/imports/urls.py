from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("export/", views.export, name="export"),
    path("<uuid:uuid>/", views.job_detail, name="job"),
    path("<uuid:uuid>/progress/", views.job_progress, name="progress"),
    path("<uuid:uuid>/confirm/", views.job_confirm, name="confirm"),
]
