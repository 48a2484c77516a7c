from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("cases/<uuid:uuid>/referrals/", views.case_tab, name="case"),
    path("cases/<uuid:uuid>/referrals/send/", views.case_send, name="send"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<uuid:uuid>/", views.detail, name="detail"),
    path("referrals/<uuid:uuid>/accept/", views.accept, name="accept"),
    path("referrals/<uuid:uuid>/decline/", views.decline, name="decline"),
    path("referrals/<uuid:uuid>/complete/", views.complete, name="complete"),
    path("referrals/<uuid:uuid>/withdraw/", views.withdraw, name="withdraw"),
]
