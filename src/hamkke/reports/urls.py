from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/figures/", views.figures, name="figures"),
    path("reports/balance/", views.balance, name="balance"),
    path("reports/workshop/", views.workshop, name="workshop"),
    path("reports/figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("reports/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/services/export/", views.services_export, name="services_export"),
    path("reports/stories/", views.stories, name="stories"),
    path("reports/stories/new/", views.story_new, name="story_new"),
    path("reports/stories/<uuid:uuid>/edit/", views.story_edit, name="story_edit"),
    path("reports/stories/<uuid:uuid>/decide/", views.story_decide, name="story_decide"),
    path("reports/stories/<uuid:uuid>/download/", views.story_download, name="story_download"),
    path("cases/<uuid:uuid>/story/", views.case_story, name="case_story"),
    path("cases/<uuid:uuid>/story/write/", views.case_story_write, name="case_story_write"),
]
