from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [path("cases/<uuid:uuid>/timeline/", views.case_timeline_view, name="case")]
