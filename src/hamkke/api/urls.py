"""/api/v1/: the REST API (DRF router, public UUIDs only)."""

import importlib.util

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api_v1"


class Router(DefaultRouter):
    include_root_view = False  # the documented index is /api/ (a page) and /api/docs/


router = Router()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("dongs", views.DongViewSet, basename="dong")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("cases", views.CaseViewSet, basename="case")
router.register("needs", views.NeedViewSet, basename="need")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("service-records", views.ServiceRecordViewSet, basename="service-record")
router.register("contact-records", views.ContactRecordViewSet, basename="contact-record")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("conferences", views.ConferenceViewSet, basename="conference")
router.register("tokens", views.TokenViewSet, basename="token")
urlpatterns = router.urls
if importlib.util.find_spec("hamkke.reports.selectors"):  # the reports app provides the figures (issue 5)
    from .statistics import StatisticsView

    urlpatterns.append(path("statistics/", StatisticsView.as_view(), name="statistics"))


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(request, path=""):
    raise NotFound


not_found.login_required = False

urlpatterns.append(re_path(r"^(?P<path>.*)$", not_found))
