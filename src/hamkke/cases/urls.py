from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.case_register_view, name="register"),
    path("<uuid:uuid>/", views.case_detail, name="detail"),
    path("<uuid:uuid>/stage/", views.case_stage, name="stage"),
]
