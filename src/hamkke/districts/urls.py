from django.urls import path

from . import platform_views, views

app_name = "districts"
urlpatterns = [
    path("district/settings/", views.settings_view, name="settings"),
    path("district/settings/case-types/new/", views.case_type_add, name="case_type_add"),
    path("district/settings/case-types/<int:pk>/", views.case_type_edit, name="case_type_edit"),
    path("platform/districts/", platform_views.districts_view, name="platform"),
    path("platform/districts/result/", platform_views.result_view, name="platform_result"),
]
