from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("households/<uuid:uuid>/", views.household_detail, name="household"),
    path("households/<uuid:uuid>/members/new/", views.person_add, name="person_add"),
    path("persons/<uuid:uuid>/", views.person_detail, name="person"),
]
