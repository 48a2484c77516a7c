"""/api/v1/statistics/: the year's figures from hamkke.reports.selectors (the same numbers as the
statistics pages, the same scope rules: own agency, or the district for its admin; auditors 403).

Aggregates are not personal data: no access-log row (as on the statistics pages). Agencies are
named by their public id and dongs by name, never by database id.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors

FIRST_YEAR = 2000


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.IntegerField()


class ReferralFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    waiting = serializers.IntegerField()
    completed = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    households_new = serializers.IntegerField()
    cases_opened = serializers.IntegerField()
    services = serializers.IntegerField()
    amount = serializers.IntegerField()
    contacts = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    scope = serializers.CharField(source="scope.label")
    households_new = serializers.IntegerField()
    cases_opened = serializers.IntegerField()
    cases_active = serializers.IntegerField()
    cases_closed = serializers.IntegerField()
    active_by_stage = FigureSerializer(many=True)
    active_by_type = FigureSerializer(many=True)
    active_by_crisis = FigureSerializer(many=True)
    closed_by_reason = FigureSerializer(many=True)
    services_count = serializers.IntegerField()
    services_amount = serializers.IntegerField()
    services_by_domain = FigureSerializer(many=True)
    services_by_mode = FigureSerializer(many=True)
    services_by_agency = FigureSerializer(many=True)
    services_by_dong = FigureSerializer(many=True)
    contacts_total = serializers.IntegerField()
    contacts_by_kind = FigureSerializer(many=True)
    contacts_by_outcome = FigureSerializer(many=True)
    referrals_sent = ReferralFiguresSerializer()
    referrals_received = ReferralFiguresSerializer()
    conferences_held = serializers.IntegerField()
    workshops_held = serializers.IntegerField()
    cases_discussed = serializers.IntegerField()
    months = MonthSerializer(many=True)


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=2100)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    agency = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

    def validate(self, data):
        if ("start" in data) != ("end" in data):
            raise serializers.ValidationError({"end": "시작일과 종료일을 함께 적으세요."})
        if "start" in data:
            if data["end"] < data["start"]:
                raise serializers.ValidationError({"end": "종료일은 시작일 이후여야 합니다."})
            if data["start"].year < FIRST_YEAR:
                raise serializers.ValidationError({"start": "2000년 이후 날짜를 적으세요."})
        return data


def _rekey(rows, keys: dict) -> list:
    """Rows keyed by a database id get a public key instead (agency uuid, dong name)."""
    from hamkke.reports.selectors import Row

    return [Row(keys.get(str(row.key), row.label), row.label, row.count, row.amount) for row in rows]


class StatisticsView(APIView):
    """통계: households taken on, cases, services (the '1,243 services'), contacts, referrals, conferences.

    One object, not a list: a plain view rather than a router collection.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="연도 (기본: 올해). Or start and end."),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter(
                "agency",
                OpenApiTypes.UUID,
                many=True,
                description="기관 (시군구 관리자: 여럿 또는 없음 = 시군구 전체; 그 밖: 자기 기관)",
            ),
        ],
        responses={200: StatisticsSerializer},
    )
    def get(self, request):
        from hamkke.reports.selectors import report_statistics

        query = StatisticsQuerySerializer(
            data={**request.query_params.dict(), "agency": request.query_params.getlist("agency")}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if "start" in data:
            start, end = data["start"], data["end"]
        else:
            year = data.get("year") or timezone.localdate().year
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        agencies = dict(selectors.agencies_for_actor(actor=request.actor).values_list("uuid", "pk"))
        agency_ids = [agencies.get(u, 0) for u in data["agency"]]  # an unknown one: refused as not the actor's
        stats = report_statistics(actor=request.actor, start=start, end=end, agency_ids=agency_ids or None)
        public = {str(pk): str(uuid) for uuid, pk in agencies.items()}
        stats.services_by_agency = _rekey(stats.services_by_agency, public)
        stats.services_by_dong = _rekey(stats.services_by_dong, {})
        return Response(StatisticsSerializer(stats).data)
