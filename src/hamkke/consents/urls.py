from django.urls import path

from . import views

app_name = "consents"
urlpatterns = [
    path("cases/<uuid:uuid>/consents/new/", views.consent_add, name="add"),
    path("consents/<uuid:uuid>/withdraw/", views.consent_withdraw_view, name="withdraw"),
]
