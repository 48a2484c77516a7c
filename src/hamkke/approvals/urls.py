from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("cases/<uuid:uuid>/approvals/", views.case_tab, name="case"),
    path("cases/<uuid:uuid>/approvals/classification/", views.case_classify, name="classify"),
    path("cases/<uuid:uuid>/approvals/closure/", views.case_close, name="close"),
    path("cases/<uuid:uuid>/approvals/follow-up/", views.case_follow_up, name="follow_up"),
    path("cases/<uuid:uuid>/approvals/reopen/", views.case_reopen, name="reopen"),
    path("approvals/", views.inbox, name="inbox"),
    path("approvals/<uuid:uuid>/decide/", views.decide, name="decide"),
    path("approvals/<uuid:uuid>/recall/", views.recall, name="recall"),
]
