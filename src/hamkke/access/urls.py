from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("cases/<uuid:uuid>/emergency/", views.emergency_open, name="emergency"),
    path("district/emergency-access/", views.emergency_review_list, name="emergency_review"),
    path("district/emergency-access/<uuid:uuid>/", views.emergency_review, name="emergency_review_one"),
]
