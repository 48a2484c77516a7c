"""API views: thin, like the web views — parse input, call one scoped selector or one service, serialize.

Reads of personal data write the access log exactly as the pages do (LIST with the persons shown,
VIEW with the case and its household); an id outside the caller's scope answers 404 and writes
a denial (hamkke.core.views.scoped_or_404); a service's PermissionDenied answers 403.
"""

from __future__ import annotations

import re
import uuid as uuid_lib

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hamkke.access.policy import can_open_case
from hamkke.assessment import services as assessment_services
from hamkke.assessment.models import Need
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases import services as case_services
from hamkke.cases.models import Case
from hamkke.cases.selectors import case_get_for_actor
from hamkke.conferences import selectors as conference_selectors
from hamkke.conferences.models import Conference
from hamkke.core import idempotency
from hamkke.core.downloads import download_response
from hamkke.core.spreadsheet import XLSX_CONTENT_TYPE
from hamkke.core.views import scoped_or_404
from hamkke.districts.models import Agency, Dong
from hamkke.people import services as person_services
from hamkke.people.models import Household, Person
from hamkke.people.selectors import household_get_for_actor, person_get_for_actor
from hamkke.people.services import DuplicatePersonFound
from hamkke.plans import selectors as plan_selectors
from hamkke.plans.models import ServicePlan
from hamkke.records import exports as record_exports
from hamkke.records import services as record_services
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals import selectors as referral_selectors
from hamkke.referrals import services as referral_services
from hamkke.referrals.models import Referral
from hamkke.resources.models import Resource
from hamkke.resources.selectors import resource_get_for_actor

from . import filters, selectors
from . import serializers as s
from . import services as token_services
from .exceptions import Conflict, PreconditionFailed, PreconditionRequired
from .models import ApiToken

ETAG = re.compile(r'(?:W/)?"v(\d{1,9})"')


def with_etag(response: Response, obj) -> Response:
    """A versioned record's answer carries its version as the ETag, for ``If-Match`` on the next write."""
    version = getattr(obj, "lock_version", None)
    if version is not None:
        response["ETag"] = f'"v{version}"'
    return response


def _parse_uuid(value) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(str(value))
    except ValueError:
        raise NotFound from None


def duplicate_conflict(error: DuplicatePersonFound) -> Conflict:
    """409 for the duplicate-person rule of the registration service (registering, completing an identity)."""
    return Conflict(
        code="duplicate_person" if error.rrn_match else "possible_duplicate",
        message=_("같은 주민등록번호로 등록된 당사자가 있어 새로 등록할 수 없습니다. 기존 당사자를 여세요.")
        if error.rrn_match
        else _(
            "같은 이름·생년월일의 당사자가 이미 있습니다. 기존 당사자를 열거나, "
            "다른 사람임을 확인하고(confirm_not_duplicate) 다시 등록하세요."
        ),
        english="A person with the same RRN is already registered."
        if error.rrn_match
        else "A person with the same name and birth date exists; open them, or confirm it is someone else.",
        extra={"candidates": s.DuplicateCandidateSerializer(error.candidates, many=True).data},
    )


class ApiViewSet(viewsets.GenericViewSet):
    """Base: public UUIDs in URLs, objects only through a scoped getter, reads audited."""

    lookup_field = "uuid"
    object_type = ""  # access-log object type of a refused id (404)
    audited = True  # False for rows without personal data (agencies, dongs, tokens)

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        # DRF authenticates (token or session) and answers 401 in JSON; the site-wide
        # LoginRequiredMiddleware would redirect a token client to the log-in page instead.
        view.login_required = False
        return view

    @property
    def actor(self):
        return self.request.actor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no actor
            return self.queryset
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError

    def get_one(self, *, actor, uuid):
        """One object by public id from the scoped selector; DoesNotExist outside the scope."""
        return self.scoped_queryset().get(uuid=uuid)

    def get_object(self):
        return scoped_or_404(
            self.request, self.get_one, object_type=self.object_type, uuid=_parse_uuid(self.kwargs[self.lookup_field])
        )

    def audit_person_ids(self, items) -> list[int]:
        return []

    def audit_case_id(self, obj) -> int | None:
        return getattr(obj, "case_id", None)

    def audit_view(self, obj, detail: str = "api") -> None:
        if self.audited:
            audit_record(
                actor=self.actor,
                action=Action.VIEW,
                obj=obj,
                case_id=self.audit_case_id(obj),
                person_ids=self.audit_person_ids([obj]),
                request=self.request,
                detail=detail,
            )

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def case_from_body(self, case_uuid) -> Case:
        """The case a write names in its body: outside the VIEW scope -> audited 404, like a URL."""
        return scoped_or_404(self.request, case_get_for_actor, object_type="case", uuid=case_uuid)

    def respond(self, serializer_class, obj, status_code=status.HTTP_200_OK) -> Response:
        response = Response(serializer_class(obj, context=self.get_serializer_context()).data, status=status_code)
        return with_etag(response, obj)

    def expected_version(self, data: dict) -> int:
        """The version a write to a versioned record was based on: ``If-Match`` (the ETag of the
        record's GET) or ``expected_version`` in the body. Without either the write is refused (428):
        leaving it out must not skip the lost-update check (issue 11, finding 11)."""
        header = self.request.headers.get("If-Match", "").strip()
        if header:
            match = ETAG.fullmatch(header)
            if match is None:
                raise PreconditionFailed
            return int(match.group(1))
        if data.get("expected_version") is None:
            raise PreconditionRequired
        return data["expected_version"]


class ListMixin:
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = list(page)
        if self.audited:
            audit_record(
                actor=self.actor,
                action=Action.LIST,
                object_type=self.object_type,
                request=request,
                person_ids=self.audit_person_ids(items),
                detail=f"api: {len(items)} {self.object_type}",
            )
        return self.get_paginated_response(self.get_serializer(items, many=True).data)


class RetrieveMixin:
    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.audit_view(obj)
        return with_etag(Response(self.get_serializer(obj).data), obj)


class CaseRecordsMixin:
    """Records about cases: a read shows the case household's members (as the case tabs do)."""

    def audit_person_ids(self, items) -> list[int]:
        return selectors.person_ids_of_cases(item.case_id for item in items)


# --- District reference data ----------------------------------------------------------------------


class AgencyViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """기관: the agencies of the caller's district."""

    queryset = Agency.objects.none()
    serializer_class = s.AgencySerializer
    filterset_class = filters.AgencyFilter
    ordering_fields = ["name", "kind"]
    ordering = ["name"]
    object_type = "agency"
    audited = False

    def scoped_queryset(self):
        return selectors.agencies_for_actor(actor=self.actor)


class DongViewSet(ListMixin, ApiViewSet):
    """행정동: the dongs of the caller's district (imports and registration name them)."""

    queryset = Dong.objects.none()
    serializer_class = s.DongSerializer
    ordering = ["name"]
    ordering_fields = ["name"]
    audited = False

    def scoped_queryset(self):
        return selectors.dongs_for_actor(actor=self.actor)


# --- People ---------------------------------------------------------------------------------------


class HouseholdViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """가구: households whose cases the caller may read, with their members."""

    queryset = Household.objects.none()
    serializer_class = s.HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    object_type = "household"

    def scoped_queryset(self):
        return selectors.households_for_actor(actor=self.actor)

    def get_one(self, *, actor, uuid):
        return household_get_for_actor(actor=actor, uuid=uuid)

    def audit_person_ids(self, items) -> list[int]:
        return [p.pk for household in items for p in household.members.all()]


class PersonViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """당사자(가구원): RRNs only masked, and only for agencies with a legal basis."""

    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["name", "birth_date", "created_at"]
    ordering = ["name"]
    object_type = "person"

    def scoped_queryset(self):
        return selectors.persons_in_scope(actor=self.actor)

    def get_one(self, *, actor, uuid):
        return person_get_for_actor(actor=actor, uuid=uuid)

    def audit_person_ids(self, items) -> list[int]:
        return [p.pk for p in items]

    @extend_schema(
        request=s.IdentityCompletionSerializer,
        responses={200: s.PersonSerializer},
        summary="신원 확인 (person_complete_identity): 성명 미상으로 등록한 당사자의 신원을 채웁니다",
    )
    @action(detail=True, methods=["post"], url_path="complete-identity")
    def complete_identity(self, request, uuid=None):
        """The same service as the page: its rules, its duplicate check (409 with the candidates)."""
        person = self.get_object()
        data = self.validated(s.IdentityCompletionSerializer)
        try:
            person = person_services.person_complete_identity(actor=self.actor, person=person, request=request, **data)
        except DuplicatePersonFound as error:
            raise duplicate_conflict(error) from None
        return self.respond(s.PersonSerializer, person_get_for_actor(actor=self.actor, uuid=person.uuid))

    @extend_schema(
        request=s.HouseholdMergeSerializer,
        responses={200: s.HouseholdSerializer},
        summary="가구 합치기 (household_merge): 신원 미상 당사자의 가구를 이미 등록된 같은 사람의 가구로",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, uuid=None):
        person = self.get_object()
        data = self.validated(s.HouseholdMergeSerializer)
        into = scoped_or_404(request, person_get_for_actor, object_type="person", uuid=data["into"])
        household = person_services.household_merge(actor=self.actor, person=person, into=into, request=request)
        return self.respond(s.HouseholdSerializer, household_get_for_actor(actor=self.actor, uuid=household.uuid))


# --- Cases ----------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=s.CaseRegisterSerializer,
        responses={201: s.CaseDetailSerializer},
        summary="가구 발굴·등록 (case_register)",
    ),
    stage=extend_schema(
        request=s.StageChangeSerializer,
        responses={200: s.CaseDetailSerializer},
        summary="단계 변경 (case_change_stage)",
    ),
)
class CaseViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """사례: cases in the caller's scope (lead agency, participating with consent, district admin)."""

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    filterset_class = filters.CaseFilter
    ordering_fields = ["opened_on", "stage_changed_at", "created_at"]
    ordering = ["-opened_on"]
    object_type = "case"

    def get_serializer_class(self):
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def scoped_queryset(self):
        return selectors.cases_for_api(actor=self.actor)

    def audit_person_ids(self, items) -> list[int]:
        if self.action == "list":  # the list shows the head of household, as the caseload does
            return [case.household.head.pk for case in items if case.household.head]
        return [p.pk for case in items for p in case.household.members.all()]

    def audit_case_id(self, obj) -> int | None:
        return obj.pk

    def _detail(self, case, status_code=status.HTTP_200_OK) -> Response:
        case = selectors.cases_for_api(actor=self.actor).get(pk=case.pk)
        return self.respond(s.CaseDetailSerializer, case, status_code)

    def create(self, request, *args, **kwargs):
        actor = self.actor
        if not can_open_case(actor):
            raise PermissionDenied(_("이 역할로는 사례를 등록할 수 없습니다."))
        data = self.validated(s.CaseRegisterSerializer)
        head = data["head"]
        dong = selectors.dongs_for_actor(actor=actor).filter(name=data["dong"].strip()).first()
        try:
            case = case_services.case_register(
                actor=actor,
                dong=dong,
                address=data["address"],
                address_detail=data["address_detail"],
                head=dict(head),
                summary=data["summary"],
                opened_on=data["opened_on"],
                referral_source=data["referral_source"],
                referral_note=data["referral_note"],
                first_contact_on=data["first_contact_on"],
                urgency=data["urgency"],
                confirm_not_duplicate=data["confirm_not_duplicate"],
                request=request,
            )
        except DuplicatePersonFound as error:
            raise duplicate_conflict(error) from None
        except ValidationError as error:
            # Every problem in one answer, named as the request names them (the head's fields under "head.").
            fields = {
                f"head.{name}" if name in s.HeadInputSerializer().fields else name: errors
                for name, errors in getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages}).items()
            }
            if dong is None:
                fields["dong"] = [_("이 시군구에 없는 행정동입니다. 행정동 이름을 확인하세요.")]
            raise ValidationError(fields) from None
        return self._detail(case, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def stage(self, request, uuid=None):
        case = self.get_object()
        data = self.validated(s.StageChangeSerializer)
        case = case_services.case_change_stage(
            actor=self.actor,
            case=case,
            to_stage=data["to_stage"],
            reason=data["reason"],
            occurred_at=data["occurred_at"],
            expected_version=self.expected_version(data),
            request=request,
        )
        return self._detail(case)


# --- Assessment -----------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=s.NeedInputSerializer, responses={201: s.NeedSerializer}, summary="욕구 기록 (need_record)"
    ),
    status_change=extend_schema(
        request=s.NeedStatusSerializer, responses={200: s.NeedSerializer}, summary="욕구 상태 변경 (need_set_status)"
    ),
)
class NeedViewSet(CaseRecordsMixin, ListMixin, RetrieveMixin, ApiViewSet):
    """욕구: expressed, felt and agreed needs of the cases in scope."""

    queryset = Need.objects.none()
    serializer_class = s.NeedSerializer
    filterset_class = filters.NeedFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["created_at"]
    object_type = "need"

    def scoped_queryset(self):
        return selectors.needs_in_scope(actor=self.actor)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.NeedInputSerializer)
        case = self.case_from_body(data["case"])
        person = None
        if data["person"]:
            person = selectors.persons_in_scope(actor=self.actor).filter(uuid=data["person"]).first()
            if person is None:
                raise ValidationError({"person": _("이 사례 가구의 가구원이 아닙니다.")})
        need = assessment_services.need_record(
            actor=self.actor,
            case=case,
            person=person,
            domain=data["domain"],
            expressed_text=data["expressed_text"],
            felt_text=data["felt_text"],
            agreed_text=data["agreed_text"],
            proposer=data["proposer"],
            framing=data["framing"],
            confirm_same_text=data["confirm_same_text"],
            identified_on=data["identified_on"],
            request=request,
        )
        return self.respond(s.NeedSerializer, need, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="status")
    def status_change(self, request, uuid=None):
        need = self.get_object()
        data = self.validated(s.NeedStatusSerializer)
        data["expected_version"] = self.expected_version(data)
        need = assessment_services.need_set_status(actor=self.actor, need=need, request=request, **data)
        return self.respond(s.NeedSerializer, need)


# --- Plans ----------------------------------------------------------------------------------------


class PlanViewSet(CaseRecordsMixin, ListMixin, RetrieveMixin, ApiViewSet):
    """서비스 계획: every version; one version with its goals, actions and asks (read only)."""

    queryset = ServicePlan.objects.none()
    serializer_class = s.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["created_at", "version"]
    ordering = ["-created_at"]
    object_type = "serviceplan"

    def get_serializer_class(self):
        return s.PlanSerializer if self.action == "list" else s.PlanDetailSerializer

    def scoped_queryset(self):
        return selectors.plans_in_scope(actor=self.actor)

    def get_one(self, *, actor, uuid):
        plan = self.scoped_queryset().get(uuid=uuid)
        return plan_selectors.plan_detail(actor=actor, case=plan.case, version=plan.version)


# --- Records --------------------------------------------------------------------------------------


IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any string of 1-255 printable ASCII characters chosen by the client, the same for a resend of the same "
        "record: a repeat creates nothing and answers 200 with the record made the first time (201 when created)."
    ),
)


def _created(viewset, serializer_class, record):
    """201 for a new record, 200 for the record an earlier request with the same key made."""
    replayed = getattr(record, "replayed", False)
    return viewset.respond(serializer_class, record, status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        request=s.ServiceRecordInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ServiceRecordSerializer, 200: s.ServiceRecordSerializer},
        summary="서비스 제공 기록 (service_record_add)",
    )
)
class ServiceRecordViewSet(CaseRecordsMixin, ListMixin, RetrieveMixin, ApiViewSet):
    """서비스 제공 기록: every agency working a case records its own services (RECORD_WORK)."""

    queryset = ServiceRecord.objects.none()
    serializer_class = s.ServiceRecordSerializer
    filterset_class = filters.ServiceRecordFilter
    ordering_fields = ["provided_on", "created_at"]
    ordering = ["-provided_on"]
    object_type = "servicerecord"

    def scoped_queryset(self):
        return selectors.service_records_in_scope(actor=self.actor)

    @extend_schema(
        parameters=[s.ServiceRecordExportQuerySerializer],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="서비스 제공 기록 내려받기 (CSV·xlsx, 접속기록에 남음)",
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """Every service record the caller may read in the period, as one file made while it is sent."""
        query = s.ServiceRecordExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        start, end = data.get("start"), data.get("end")
        selection = record_exports.Selection(
            scope=record_exports.scope_words(actor=self.actor),
            period=f"{start or ''}~{end or ''}" if start or end else _("전체 기간"),
            start=start,
            end=end,
        )
        export = record_exports.service_records_export(
            actor=self.actor,
            selection=selection,
            layout=record_exports.API_LAYOUT,
            file_format=data["file_format"],
            reason=" ".join(data["reason"].split()),
            name="hamkke-service-records",
            request=request,
        )
        return download_response(export)

    def create(self, request, *args, **kwargs):
        key = idempotency.key_from_header(request.headers.get(idempotency.HEADER))
        data = self.validated(s.ServiceRecordInputSerializer)
        case = self.case_from_body(data["case"])
        actor, errors = self.actor, {}
        provider = resource = plan_action = None
        if data["provider_agency"]:
            provider = selectors.agencies_for_actor(actor=actor).filter(uuid=data["provider_agency"]).first()
            if provider is None:
                errors["provider_agency"] = _("이 시군구의 기관이 아닙니다.")
        if data["resource"]:
            try:
                resource = resource_get_for_actor(actor=actor, uuid=data["resource"])
            except Resource.DoesNotExist:
                errors["resource"] = _("이 시군구의 자원이 아닙니다.")
        if data["plan_action"]:
            try:
                plan_action = plan_selectors.plan_action(case=case, uuid=data["plan_action"])
            except ObjectDoesNotExist:
                errors["plan_action"] = _("이 사례의 서비스 계획에 있는 실행 계획만 고를 수 있습니다.")
        if errors:
            raise ValidationError(errors)
        record = record_services.service_record_add(
            actor=actor,
            case=case,
            provided_on=data["provided_on"],
            domain=data["domain"],
            mode=data["mode"],
            description=data["description"],
            provider_agency=provider,
            resource=resource,
            amount_kind=data["amount_kind"],
            amount=data["amount"],
            plan_action=plan_action,
            request=request,
            idempotency_key=key,
        )
        return _created(self, s.ServiceRecordSerializer, record)


@extend_schema_view(
    create=extend_schema(
        request=s.ContactRecordInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ContactRecordSerializer, 200: s.ContactRecordSerializer},
        summary="상담·방문 기록 (contact_record_add)",
    )
)
class ContactRecordViewSet(CaseRecordsMixin, ListMixin, RetrieveMixin, ApiViewSet):
    """상담·방문 기록: visits, calls and attempts, including no answer and refusal."""

    queryset = ContactRecord.objects.none()
    serializer_class = s.ContactRecordSerializer
    filterset_class = filters.ContactRecordFilter
    ordering_fields = ["contacted_at", "created_at"]
    ordering = ["-contacted_at"]
    object_type = "contactrecord"

    def scoped_queryset(self):
        return selectors.contact_records_in_scope(actor=self.actor)

    def create(self, request, *args, **kwargs):
        key = idempotency.key_from_header(request.headers.get(idempotency.HEADER))
        data = self.validated(s.ContactRecordInputSerializer)
        case = self.case_from_body(data.pop("case"))
        record = record_services.contact_record_add(
            actor=self.actor, case=case, request=request, idempotency_key=key, **data
        )
        return _created(self, s.ContactRecordSerializer, record)


# --- Referrals ------------------------------------------------------------------------------------

BOX_RECEIVED, BOX_SENT = "received", "sent"
REFERRAL_LIST_PARAMS = [
    OpenApiParameter(
        "box",
        OpenApiTypes.STR,
        enum=[BOX_RECEIVED, BOX_SENT],
        description="received: 우리 기관이 받은 의뢰, sent: 보낸 의뢰 (기본: 둘 다)",
    ),
    OpenApiParameter("case", OpenApiTypes.UUID, description="이 사례의 의뢰 전체 (사례 열람 권한 필요)"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(Referral.Status.values)),
]


def _referral_action(request_serializer, summary):
    return extend_schema(request=request_serializer, responses={200: s.ReferralSerializer}, summary=summary)


@extend_schema_view(
    list=extend_schema(parameters=REFERRAL_LIST_PARAMS),
    create=extend_schema(
        request=s.ReferralSendSerializer, responses={201: s.ReferralSerializer}, summary="의뢰 보내기 (referral_send)"
    ),
    accept=_referral_action(s.ReferralNoteSerializer, "수락 (referral_accept)"),
    decline=_referral_action(s.ReferralDeclineSerializer, "거절 (referral_decline)"),
    complete=_referral_action(s.ReferralNoteSerializer, "완료 (referral_complete)"),
    withdraw=_referral_action(None, "의뢰 취소 (referral_withdraw)"),
)
class ReferralViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """의뢰: received and sent by the caller's agency. Before accepting, a receiving agency sees only
    the minimum (the household's dong, head's name and age only while a consent covers it)."""

    queryset = Referral.objects.none()
    serializer_class = s.ReferralSerializer
    object_type = "referral"
    filter_backends: list = []  # the referral selectors decide order and scope; see the parameters

    def scoped_queryset(self):
        actor, params = self.actor, self.request.query_params
        if params.get("case"):
            case = scoped_or_404(self.request, case_get_for_actor, object_type="case", uuid=_parse_uuid(params["case"]))
            referrals = referral_selectors.referrals_for_case(actor=actor, case=case)
        else:
            box = params.get("box", "")
            referrals = []
            if box in ("", BOX_RECEIVED):
                referrals += referral_selectors.referrals_received_waiting(actor=actor)
                referrals += referral_selectors.referrals_received_answered(actor=actor, limit=None)
            if box in ("", BOX_SENT):
                referrals += referral_selectors.referrals_sent(actor=actor, limit=None)
        wanted = params.get("status")
        return [r for r in referrals if not wanted or r.status == wanted]

    def get_one(self, *, actor, uuid):
        return referral_selectors.referral_get_for_actor(actor=actor, uuid=uuid)

    def audit_person_ids(self, items) -> list[int]:
        return referral_selectors.person_ids_shown(items)

    def _fresh(self, referral, status_code=status.HTTP_200_OK) -> Response:
        return self.respond(s.ReferralSerializer, self.get_one(actor=self.actor, uuid=referral.uuid), status_code)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.ReferralSendSerializer)
        case = self.case_from_body(data["case"])
        to_agency = selectors.agencies_for_actor(actor=self.actor).filter(uuid=data["to_agency"]).first()
        need = (
            referral_selectors.referable_needs(actor=self.actor, case=case).filter(uuid=data["need"]).first()
            if data["need"]
            else None
        )
        errors = {}
        if to_agency is None:
            errors["to_agency"] = _("같은 시군구의 운영 중인 기관에만 의뢰할 수 있습니다.")
        if data["need"] and need is None:
            errors["need"] = _("이 사례의 욕구만 의뢰할 수 있습니다.")
        if errors:
            raise ValidationError(errors)
        referral = referral_services.referral_send(
            actor=self.actor, case=case, to_agency=to_agency, need=need, reason=data["reason"], request=request
        )
        return self._fresh(referral, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def accept(self, request, uuid=None):
        referral = self.get_object()
        data = self.validated(s.ReferralNoteSerializer)
        return self._fresh(
            referral_services.referral_accept(actor=self.actor, referral=referral, note=data["note"], request=request)
        )

    @action(detail=True, methods=["post"])
    def decline(self, request, uuid=None):
        referral = self.get_object()
        data = self.validated(s.ReferralDeclineSerializer)
        return self._fresh(
            referral_services.referral_decline(
                actor=self.actor, referral=referral, reason=data["reason"], request=request
            )
        )

    @action(detail=True, methods=["post"])
    def complete(self, request, uuid=None):
        referral = self.get_object()
        data = self.validated(s.ReferralNoteSerializer)
        return self._fresh(
            referral_services.referral_complete(actor=self.actor, referral=referral, note=data["note"], request=request)
        )

    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        referral = self.get_object()
        return self._fresh(referral_services.referral_withdraw(actor=self.actor, referral=referral, request=request))


# --- Conferences ----------------------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(responses={200: s.ConferenceDetailSerializer}))
class ConferenceViewSet(ListMixin, RetrieveMixin, ApiViewSet):
    """사례회의: meetings the caller's agency takes part in; case content only for readable cases."""

    queryset = Conference.objects.none()
    serializer_class = s.ConferenceSerializer
    filterset_class = filters.ConferenceFilter
    ordering_fields = ["scheduled_at"]
    ordering = ["-scheduled_at"]
    object_type = "conference"
    audited = False  # the list shows no case content; the detail audits each case it shows

    def scoped_queryset(self):
        return conference_selectors.conferences_in_scope(self.actor).select_related("host_agency")

    def get_one(self, *, actor, uuid):
        return conference_selectors.conference_get_for_actor(actor=actor, uuid=uuid)

    def retrieve(self, request, *args, **kwargs):
        conference = self.get_object()
        page = conference_selectors.conference_page(actor=self.actor, conference=conference)
        for case in page.shown_cases:  # as the conference page does: one row per case shown
            audit_record(
                actor=self.actor,
                action=Action.VIEW,
                obj=case,
                case_id=case.pk,
                request=request,
                person_ids=[p.pk for p in case.household.members.all()],
                detail=f"api conference {conference.reference}",
            )
        return self.respond(s.ConferenceDetailSerializer, page)


# --- Tokens ---------------------------------------------------------------------------------------


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_view(
    create=extend_schema(
        request=TokenCreateSerializer,
        responses={
            201: inline_serializer("ApiTokenCreated", {"token": s.ApiTokenSerializer(), "key": serializers.CharField()})
        },
        summary="토큰 발급 (브라우저 세션만; the key is shown once)",
    ),
    revoke=extend_schema(request=None, responses={200: s.ApiTokenSerializer}, summary="토큰 폐기"),
)
class TokenViewSet(ListMixin, ApiViewSet):
    """API 토큰: the caller's own tokens (a district admin: every token of the district)."""

    queryset = ApiToken.objects.none()
    serializer_class = s.ApiTokenSerializer
    ordering = ["-created_at"]
    ordering_fields = ["created_at"]
    object_type = "apitoken"
    audited = False

    def scoped_queryset(self):
        return selectors.tokens_for_actor(actor=self.actor)

    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            # A leaked token must not be able to mint its own successors: only a logged-in person may.
            raise PermissionDenied(_("API 토큰은 로그인한 화면(세션)에서만 만들 수 있습니다."))
        data = self.validated(TokenCreateSerializer)
        token, key = token_services.api_token_create(
            actor=self.actor, name=data["name"], expires_on=data["expires_on"], request=request
        )
        return Response({"token": s.ApiTokenSerializer(token).data, "key": key}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def revoke(self, request, uuid=None):
        token = self.get_object()
        return self.respond(
            s.ApiTokenSerializer, token_services.api_token_revoke(actor=self.actor, token=token, request=request)
        )
