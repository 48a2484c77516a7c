from django.urls import path

from . import views

app_name = "assessment"

BASE = "cases/<uuid:uuid>/assessment/"
urlpatterns = [
    path(BASE, views.assessment_case, name="case"),
    path(BASE + "consultations/new/", views.record_add, {"section": "consultations"}, name="consultation_add"),
    path(
        BASE + "consultations/<uuid:item>/edit/",
        views.record_edit,
        {"section": "consultations"},
        name="consultation_edit",
    ),
    path(BASE + "needs/new/", views.record_add, {"section": "needs"}, name="need_add"),
    path(BASE + "needs/<uuid:item>/edit/", views.record_edit, {"section": "needs"}, name="need_edit"),
    path(BASE + "needs/<uuid:item>/status/", views.need_status, name="need_status"),
    path(BASE + "strengths/new/", views.record_add, {"section": "strengths"}, name="strength_add"),
    path(BASE + "strengths/<uuid:item>/edit/", views.record_edit, {"section": "strengths"}, name="strength_edit"),
    path(BASE + "crisis/new/", views.record_add, {"section": "crisis"}, name="crisis_add"),
]
