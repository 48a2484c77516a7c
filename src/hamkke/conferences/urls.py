from django.urls import path

from . import views

app_name = "conferences"
urlpatterns = [
    path("conferences/", views.conference_list, name="list"),
    path("conferences/new/", views.conference_new, name="new"),
    path("conferences/new/attendees/", views.attendee_options, name="attendee_options"),
    path("conferences/new/agencies/", views.pick_agency, name="pick_agency"),
    path("conferences/<uuid:uuid>/", views.conference_detail, name="detail"),
    path("conferences/<uuid:uuid>/record/", views.conference_record, name="record"),
    path("conferences/<uuid:uuid>/cancel/", views.conference_cancel, name="cancel"),
    path("conferences/<uuid:uuid>/cases/add/", views.case_add, name="case_add"),
    path("conferences/<uuid:uuid>/cases/<uuid:case_uuid>/discussion/", views.case_discussion, name="discussion"),
    path("conferences/<uuid:uuid>/decisions/", views.decision_add, name="decision_add"),
    path("cases/<uuid:uuid>/conferences/", views.case_tab, name="case"),
    path("cases/<uuid:uuid>/conferences/bring/", views.case_bring, name="case_bring"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<uuid:uuid>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<uuid:uuid>/cancel/", views.task_cancel, name="task_cancel"),
]
