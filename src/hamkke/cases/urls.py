from django.urls import path

from . import team_views, views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.case_register_view, name="register"),
    path("search/", views.case_search_view, name="search"),
    path("<uuid:uuid>/", views.case_detail, name="detail"),
    path("<uuid:uuid>/stage/", views.case_stage, name="stage"),
    path("<uuid:uuid>/team/add/", team_views.participant_add, name="participant_add"),
    path("<uuid:uuid>/team/transfer/", team_views.lead_transfer, name="lead_transfer"),
    path("<uuid:uuid>/team/<int:participant_id>/leave/", team_views.participant_leave, name="participant_leave"),
]
