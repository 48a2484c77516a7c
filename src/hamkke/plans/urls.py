from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("cases/<uuid:uuid>/plan/", views.plan_case, name="case"),
    path("cases/<uuid:uuid>/plan/v<int:version>/", views.plan_version, name="version"),
    path("cases/<uuid:uuid>/plan/new/", views.plan_create_view, name="create"),
    path("cases/<uuid:uuid>/plan/new-version/", views.plan_new_version_view, name="new_version"),
    path("cases/<uuid:uuid>/plan/proposals/", views.plan_proposals, name="proposals"),
    path("cases/<uuid:uuid>/plan/goals/", views.goal_add_view, name="goal_add"),
    path("cases/<uuid:uuid>/plan/goals/<int:goal_id>/remove/", views.goal_remove_view, name="goal_remove"),
    path("cases/<uuid:uuid>/plan/goals/<int:goal_id>/review/", views.goal_review_view, name="goal_review"),
    path("cases/<uuid:uuid>/plan/actions/", views.action_add_view, name="action_add"),
    path("cases/<uuid:uuid>/plan/actions/<uuid:action_uuid>/remove/", views.action_remove_view, name="action_remove"),
    path("cases/<uuid:uuid>/plan/actions/<uuid:action_uuid>/status/", views.action_status_view, name="action_status"),
    path("cases/<uuid:uuid>/plan/asks/", views.ask_add_view, name="ask_add"),
    path("cases/<uuid:uuid>/plan/asks/<int:ask_id>/answer/", views.ask_answer_view, name="ask_answer"),
    path("cases/<uuid:uuid>/plan/agreement/", views.agreement_view, name="agreement"),
    path("cases/<uuid:uuid>/plan/summary/", views.summary_view, name="summary"),
    path("cases/<uuid:uuid>/plan/actions/<uuid:action_uuid>/review/", views.action_review_view, name="action_review"),
    path("cases/<uuid:uuid>/plan/submit/", views.plan_submit_view, name="submit"),
    path("cases/<uuid:uuid>/plan/for-the-person/", views.own_plan_view, name="own_plan"),
    path("cases/<uuid:uuid>/plan/for-the-person.pdf", views.own_plan_pdf_view, name="own_plan_pdf"),
    path("cases/<uuid:uuid>/plan/for-the-person/handover/", views.own_plan_handover_view, name="own_plan_handover"),
]
