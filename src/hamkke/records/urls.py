from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("cases/<uuid:uuid>/records/", views.case_records, name="case"),
    path("cases/<uuid:uuid>/records/contacts/", views.contact_add, name="contact_add"),
    path("cases/<uuid:uuid>/records/services/", views.services_add, name="services_add"),
    path("cases/<uuid:uuid>/visit/", views.visit, name="visit"),
    path("cases/<uuid:uuid>/records/pick/resources/", views.pick_resource, name="pick_resource"),
    path("cases/<uuid:uuid>/records/pick/agencies/", views.pick_agency, name="pick_agency"),
    path("work/refusals/", views.refusals, name="refusals"),
    path("work/overdue/", views.overdue, name="overdue"),
]
