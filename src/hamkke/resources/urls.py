from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.resource_list, name="list"),
    path("resources/new/", views.resource_add, name="add"),
    path("resources/<uuid:uuid>/edit/", views.resource_edit, name="edit"),
]
