from django.contrib.auth import views as auth_views
from django.urls import path

from . import security_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("logout-everywhere/", security_views.logout_everywhere, name="logout_everywhere"),
    path("agency/", views.switch_agency, name="switch_agency"),
    path("2fa/setup/", security_views.otp_setup, name="otp_setup"),
    path("2fa/verify/", security_views.otp_verify, name="otp_verify"),
    path(
        "password/",
        security_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
