"""Filters on querysets that the scoped selectors already returned: they only narrow, never widen."""

from __future__ import annotations

import django_filters as filters

from hamkke.assessment.models import Need
from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.stages import INACTIVE, Stage
from hamkke.conferences.models import Conference
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency
from hamkke.people.models import Household, Person
from hamkke.plans.models import ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord


class AgencyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Agency.Kind.choices)
    sector = filters.ChoiceFilter(choices=Agency.Sector.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = Agency
        fields = ["kind", "sector", "is_active"]


class HouseholdFilter(filters.FilterSet):
    dong = filters.CharFilter(field_name="dong__name", help_text="행정동 이름")

    class Meta:
        model = Household
        fields = ["dong"]


class PersonFilter(filters.FilterSet):
    household = filters.UUIDFilter(field_name="household__uuid")
    name = filters.CharFilter(help_text="성명 (정확히 일치)")
    birth_date = filters.DateFilter()

    class Meta:
        model = Person
        fields = ["household", "name", "birth_date"]


class CaseFilter(filters.FilterSet):
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)
    active = filters.BooleanFilter(method="filter_active", help_text="true: 진행 중(종결·사후관리 제외)")
    crisis_level = filters.ChoiceFilter(choices=CrisisLevel.choices)
    case_type = filters.CharFilter(field_name="case_type__code", help_text="사례 구분 코드")
    dong = filters.CharFilter(field_name="household__dong__name", help_text="행정동 이름")
    lead_agency = filters.UUIDFilter(field_name="lead_agency__uuid")
    household = filters.UUIDFilter(field_name="household__uuid")
    opened_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Case
        fields = ["stage", "active", "crisis_level", "case_type", "dong", "lead_agency", "household", "opened_on"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(stage__in=INACTIVE) if value else queryset.filter(stage__in=INACTIVE)


class CaseRecordFilter(filters.FilterSet):
    case = filters.UUIDFilter(field_name="case__uuid")


class NeedFilter(CaseRecordFilter):
    domain = filters.ChoiceFilter(choices=LifeDomain.choices)
    status = filters.MultipleChoiceFilter(choices=Need.Status.choices)

    class Meta:
        model = Need
        fields = ["case", "domain", "status"]


class PlanFilter(CaseRecordFilter):
    status = filters.ChoiceFilter(choices=ServicePlan.Status.choices)

    class Meta:
        model = ServicePlan
        fields = ["case", "status"]


class ServiceRecordFilter(CaseRecordFilter):
    provided_on = filters.DateFromToRangeFilter()
    domain = filters.ChoiceFilter(choices=LifeDomain.choices)
    mode = filters.ChoiceFilter(choices=ServiceRecord.Mode.choices)
    provider_agency = filters.UUIDFilter(field_name="provider_agency__uuid")

    class Meta:
        model = ServiceRecord
        fields = ["case", "provided_on", "domain", "mode", "provider_agency"]


class ContactRecordFilter(CaseRecordFilter):
    contacted_on = filters.DateFromToRangeFilter(field_name="contacted_at__date")
    kind = filters.ChoiceFilter(choices=ContactRecord.Kind.choices)
    outcome = filters.ChoiceFilter(choices=ContactRecord.Outcome.choices)
    agency = filters.UUIDFilter(field_name="agency__uuid")

    class Meta:
        model = ContactRecord
        fields = ["case", "contacted_on", "kind", "outcome", "agency"]


class ConferenceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Conference.Kind.choices)
    status = filters.ChoiceFilter(choices=Conference.Status.choices)
    scheduled_on = filters.DateFromToRangeFilter(field_name="scheduled_at__date")

    class Meta:
        model = Conference
        fields = ["kind", "status", "scheduled_on"]
