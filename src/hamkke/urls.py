from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from hamkke.core import views as core_views

# The Django admin (IT administrators: districts, agencies, users, memberships; no case data is
# registered there) asks for a TOTP code at its own log-in too.
admin.site.__class__ = OTPAdminSite

handler400 = "hamkke.core.views.bad_request"
handler403 = "hamkke.core.views.permission_denied"
handler404 = "hamkke.core.views.page_not_found"
handler500 = "hamkke.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("hamkke.accounts.urls")),
    path("cases/", include("hamkke.cases.urls")),
    path("", include("hamkke.people.urls")),
    path("", include("hamkke.consents.urls")),
    path("", include("hamkke.assessment.urls")),
    path("", include("hamkke.resources.urls")),
    path("", include("hamkke.plans.urls")),
    path("", include("hamkke.records.urls")),
    path("", include("hamkke.approvals.urls")),
    path("", include("hamkke.districts.urls")),
    path("", include("hamkke.referrals.urls")),
    path("", include("hamkke.conferences.urls")),
    path("", include("hamkke.inbox.urls")),
    path("", include("hamkke.access.urls")),
    path("", include("hamkke.timeline.urls")),
    path("", include("hamkke.diagrams.urls")),
    path("", include("hamkke.audit.urls")),
    path("", include("hamkke.reports.urls")),
    path("api/v1/", include("hamkke.api.urls")),
    path("api/", include("hamkke.api.docs_urls")),  # /api/ guide and tokens, /api/schema/, /api/docs/
    path("imports/", include("hamkke.imports.urls")),
    path("exports/", include("hamkke.exports.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("hamkke.ops.urls")),
]
