from django.urls import path

from . import privacy_views, search_views, views

app_name = "people"
urlpatterns = [
    path("households/<uuid:uuid>/", views.household_detail, name="household"),
    path("households/<uuid:uuid>/members/new/", views.person_add, name="person_add"),
    path("persons/<uuid:uuid>/", views.person_detail, name="person"),
    path("persons/<uuid:uuid>/identify/", views.person_identify, name="person_identify"),
    path("persons/<uuid:uuid>/merge/", views.person_merge, name="person_merge"),
    path("persons/search/", search_views.person_search_view, name="search"),
    path("persons/<uuid:uuid>/rrn/", privacy_views.person_full_rrn, name="person_full_rrn"),
    path("persons/<uuid:uuid>/access-request/", privacy_views.person_access_request, name="person_access_request"),
]
