"""API representations. Output serializers only shape data; input serializers only parse types.

Business rules live in the services the views call; access in the selectors. RRNs are never
output whole: ``rrn_masked`` (900101-1******) for agencies with a legal basis, else null.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hamkke.access.policy import may_see_rrn
from hamkke.assessment.models import NEED_TEXT_MAX, Need
from hamkke.cases.models import Case, CaseParticipant, ReferralSource, Urgency
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency
from hamkke.people.models import Household, Person
from hamkke.plans.models import Ask, Goal, PlanAction, ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral

from .models import ApiToken

# --- Small shared shapes --------------------------------------------------------------------------


class AgencyRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class NamedRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


def _user_name(user) -> str | None:
    return str(user) if user is not None else None


class AgencySerializer(serializers.ModelSerializer):
    dong = serializers.CharField(source="dong.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Agency
        fields = ["uuid", "name", "kind", "sector", "dong", "phone", "rrn_allowed", "is_active"]


class DongSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)


# --- People ---------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    household = serializers.UUIDField(source="household.uuid", read_only=True)
    rrn_masked = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["uuid", "reference", "household", "name", "birth_date", "sex", "relation", "phone", "rrn_masked"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rrn_masked(self, person: Person) -> str | None:
        actor = self.context["request"].actor
        return person.rrn_masked or None if may_see_rrn(actor) and person.has_rrn else None


class MemberSerializer(PersonSerializer):
    class Meta(PersonSerializer.Meta):
        fields = ["uuid", "name", "birth_date", "sex", "relation", "phone", "rrn_masked"]


class HouseholdSerializer(serializers.ModelSerializer):
    dong = serializers.CharField(source="dong.name", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["uuid", "reference", "dong", "address", "address_detail", "members", "created_at"]


# --- Cases ----------------------------------------------------------------------------------------


class CaseTypeRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class TeamMemberSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    worker = serializers.SerializerMethodField()

    class Meta:
        model = CaseParticipant
        fields = ["agency", "worker", "role", "joined_on", "left_on"]

    def get_worker(self, participant) -> str | None:
        return _user_name(participant.worker)


class CaseHouseholdSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    dong = serializers.CharField(source="dong.name", read_only=True)
    head_name = serializers.SerializerMethodField()

    def get_head_name(self, household) -> str | None:
        head = household.head
        return head.name if head else None


class CaseSerializer(serializers.ModelSerializer):
    household = CaseHouseholdSerializer(read_only=True)
    case_type = CaseTypeRefSerializer(read_only=True, allow_null=True)
    lead_agency = AgencyRefSerializer(read_only=True)
    lead_worker = serializers.SerializerMethodField()
    team = TeamMemberSerializer(source="participants", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "uuid",
            "reference",
            "household",
            "stage",
            "case_type",
            "crisis_level",
            "urgency",
            "referral_source",
            "referral_note",
            "first_contact_on",
            "opened_on",
            "closed_on",
            "closure_reason",
            "summary",
            "lead_agency",
            "lead_worker",
            "team",
            "stage_changed_at",
        ]

    def get_lead_worker(self, case) -> str:
        return str(case.lead_worker)


class CaseDetailSerializer(CaseSerializer):
    members = MemberSerializer(source="household.members", many=True, read_only=True)
    version = serializers.IntegerField(source="lock_version", read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["members", "version"]


class HeadInputSerializer(serializers.Serializer):
    """The head; with ``identity_known: false`` an unknown person ("성명 미상": name and birth date
    left out, ``description`` of what was observed, ``apparent_age_band``). The service decides."""

    name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=[("", "")] + Person.Sex.choices, required=False, default="")
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    rrn = serializers.CharField(max_length=14, required=False, default="", allow_blank=True, write_only=True)
    identity_known = serializers.BooleanField(required=False, default=True)
    apparent_age_band = serializers.ChoiceField(choices=[("", "")] + Person.AgeBand.choices, required=False, default="")
    description = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class IdentityCompletionSerializer(serializers.Serializer):
    """신원 확인: what the door finally told (the same fields as the page's form)."""

    # Optional here as in the page's form: the service checks them (and says what to enter).
    name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=[("", "")] + Person.Sex.choices, required=False, default="")
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    rrn = serializers.CharField(max_length=14, required=False, default="", allow_blank=True, write_only=True)
    confirm_not_duplicate = serializers.BooleanField(
        required=False, default=False, help_text="같은 이름·생년월일의 당사자가 다른 사람임을 확인했으면 true."
    )


class HouseholdMergeSerializer(serializers.Serializer):
    """The person already registered (public id) into whose household the unknown person's goes."""

    into = serializers.UUIDField()


class CaseRegisterSerializer(serializers.Serializer):
    """발굴·등록: the same input as the registration form (the dong by its name)."""

    dong = serializers.CharField(max_length=50)
    address = serializers.CharField(max_length=200)
    address_detail = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    head = HeadInputSerializer()
    summary = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    referral_source = serializers.ChoiceField(choices=[("", "")] + ReferralSource.choices, required=False, default="")
    referral_note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    first_contact_on = serializers.DateField(required=False, allow_null=True, default=None)
    urgency = serializers.ChoiceField(choices=[("", "")] + Urgency.choices, required=False, default="")
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="같은 이름·생년월일의 당사자가 있어도 다른 사람임을 확인했으면 true (the form's check box).",
    )


class DuplicateCandidateSerializer(serializers.Serializer):
    matched_on = serializers.CharField()
    person = serializers.UUIDField(source="person.uuid", allow_null=True, default=None)
    cases = serializers.SerializerMethodField()
    lead_agencies = serializers.ListField(child=serializers.CharField())
    unnamed_agency = serializers.BooleanField(
        help_text="기관명을 밝힐 수 없는 다른 기관이 지원 중(구 통합사례관리 관리자에게 문의)."
    )
    unnamed_agency_note = serializers.CharField()

    def get_cases(self, candidate) -> list[str]:
        return [str(case.uuid) for case in candidate.cases]


class StageChangeSerializer(serializers.Serializer):
    # case_change_stage refuses a stage entered only through its approval (closing: the closure workflow).
    to_stage = serializers.ChoiceField(choices=Stage.choices, help_text="종결은 종결 절차(결재)로만 합니다.")
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    occurred_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="언제 바뀌었는지(기본: 지금). 입력 시각은 따로 남습니다.",
    )
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="보고 고친 판의 수정 번호(version). 없으면 If-Match 머리글(ETag)이 있어야 합니다.",
    )


# --- Assessment -----------------------------------------------------------------------------------


class NeedSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True, allow_null=True, default=None)
    version = serializers.IntegerField(source="lock_version", read_only=True)

    class Meta:
        model = Need
        fields = [
            "uuid",
            "version",
            "case",
            "person",
            "domain",
            "expressed_text",
            "felt_text",
            "agreed_text",
            "proposer",
            "framing",
            "status",
            "set_aside_reason",
            "set_aside_note",
            "identified_on",
            "created_at",
            "updated_at",
        ]


class NeedInputSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    person = serializers.UUIDField(required=False, allow_null=True, default=None)
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    expressed_text = serializers.CharField(max_length=NEED_TEXT_MAX)
    felt_text = serializers.CharField(max_length=NEED_TEXT_MAX, required=False, default="", allow_blank=True)
    agreed_text = serializers.CharField(max_length=NEED_TEXT_MAX, required=False, default="", allow_blank=True)
    proposer = serializers.ChoiceField(choices=Need.Proposer.choices, default=Need.Proposer.PERSON)
    framing = serializers.ChoiceField(choices=Need.Framing.choices, default=Need.Framing.POSITIVE)
    confirm_same_text = serializers.BooleanField(required=False, default=False)
    identified_on = serializers.DateField(required=False, allow_null=True, default=None)


class NeedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Need.Status.choices)
    set_aside_reason = serializers.ChoiceField(
        choices=[("", "")] + Need.SetAsideReason.choices, required=False, default=""
    )
    set_aside_note = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="보고 고친 판의 수정 번호(version). 없으면 If-Match 머리글(ETag)이 있어야 합니다.",
    )


# --- Plans ----------------------------------------------------------------------------------------


class AskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ask
        fields = ["whom", "whom_role", "method", "asked_on", "answer", "note"]


class PlanActionSerializer(serializers.ModelSerializer):
    resource = NamedRefSerializer(read_only=True, allow_null=True)
    strength = serializers.CharField(source="strength.description", read_only=True, allow_null=True, default=None)
    asks = AskSerializer(many=True, read_only=True)

    class Meta:
        model = PlanAction
        fields = [
            "uuid",
            "description",
            "strength",
            "resource",
            "performer",
            "performer_name",
            "due_on",
            "status",
            "asks",
        ]


class GoalSerializer(serializers.ModelSerializer):
    need = serializers.UUIDField(source="need.uuid", read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["need", "description", "progress_measure", "actions"]


class PlanSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uuid", read_only=True)

    class Meta:
        model = ServicePlan
        fields = [
            "uuid",
            "case",
            "version",
            "status",
            "summary",
            "agreed_on",
            "agreement_method",
            "review_on",
            "created_at",
            "updated_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["goals"]


# --- Records --------------------------------------------------------------------------------------


class ServiceRecordSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uuid", read_only=True)
    provider_agency = AgencyRefSerializer(read_only=True)
    resource = NamedRefSerializer(read_only=True, allow_null=True)
    plan_action = serializers.UUIDField(source="plan_action.uuid", read_only=True, allow_null=True, default=None)
    amount = serializers.IntegerField(read_only=True, allow_null=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = [
            "uuid",
            "case",
            "provided_on",
            "domain",
            "mode",
            "provider_agency",
            "resource",
            "plan_action",
            "description",
            "amount_kind",
            "amount",
            "recorded_by",
            "created_at",
        ]

    def get_recorded_by(self, record) -> str:
        return str(record.recorded_by)


class ServiceRecordInputSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    provided_on = serializers.DateField()
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    mode = serializers.ChoiceField(choices=ServiceRecord.Mode.choices)
    description = serializers.CharField(max_length=300)
    provider_agency = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="기본값: 토큰(세션)의 소속 기관. Default: the caller's agency.",
    )
    resource = serializers.UUIDField(required=False, allow_null=True, default=None)
    plan_action = serializers.UUIDField(required=False, allow_null=True, default=None)
    amount_kind = serializers.ChoiceField(choices=ServiceRecord.AmountKind.choices, required=False, default="")
    amount = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10**12 - 1)


class ContactRecordSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uuid", read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ContactRecord
        fields = [
            "uuid",
            "case",
            "contacted_at",
            "kind",
            "with_whom",
            "outcome",
            "purpose",
            "note",
            "next_contact_on",
            "agency",
            "recorded_by",
            "created_at",
        ]

    def get_recorded_by(self, record) -> str:
        return str(record.recorded_by)


class ContactRecordInputSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    contacted_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=ContactRecord.Kind.choices)
    outcome = serializers.ChoiceField(choices=ContactRecord.Outcome.choices)
    purpose = serializers.ChoiceField(choices=ContactRecord.Purpose.choices, default=ContactRecord.Purpose.CASEWORK)
    with_whom = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=10000, required=False, default="", allow_blank=True)
    next_contact_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- Referrals ------------------------------------------------------------------------------------


class ReferralHouseholdSerializer(serializers.Serializer):
    """Shown only while a consent covers the caller's agency or the caller may read the case."""

    dong = serializers.CharField()
    head_name = serializers.CharField(allow_null=True)
    head_age = serializers.IntegerField(allow_null=True)


class ReferralSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uuid", read_only=True)
    need = serializers.SerializerMethodField()
    from_agency = AgencyRefSerializer(read_only=True)
    from_worker = serializers.SerializerMethodField()
    to_agency = AgencyRefSerializer(read_only=True)
    responded_by = serializers.SerializerMethodField()
    days_waiting = serializers.IntegerField(read_only=True, allow_null=True)
    household = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "uuid",
            "case",
            "need",
            "from_agency",
            "from_worker",
            "to_agency",
            "reason",
            "status",
            "sent_at",
            "days_waiting",
            "responded_at",
            "responded_by",
            "response_note",
            "completed_at",
            "completion_note",
            "household",
        ]

    def get_from_worker(self, referral) -> str:
        return str(referral.from_worker)

    def get_responded_by(self, referral) -> str | None:
        return _user_name(referral.responded_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_need(self, referral) -> str | None:
        """The referred need's agreed words (else the expressed ones): part of what the referral shares."""
        need = referral.need
        return (need.agreed_text or need.expressed_text) if need else None

    @extend_schema_field(ReferralHouseholdSerializer(allow_null=True))
    def get_household(self, referral):
        if not referral.show_person:
            return None
        return {
            "dong": referral.case.household.dong.name,
            "head_name": referral.head.name if referral.head else None,
            "head_age": referral.head_age,
        }


class ReferralSendSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    to_agency = serializers.UUIDField()
    reason = serializers.CharField(max_length=4000)
    need = serializers.UUIDField(required=False, allow_null=True, default=None)


class ReferralNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class ReferralDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


# --- Conferences ----------------------------------------------------------------------------------


class ConferenceSerializer(serializers.ModelSerializer):
    host_agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = Conference
        fields = [
            "uuid",
            "kind",
            "title",
            "scheduled_at",
            "place",
            "status",
            "host_agency",
            "person_attended",
            "family_attended",
        ]


class DiscussedCaseSerializer(serializers.Serializer):
    case = serializers.UUIDField(source="case.uuid")
    discussion = serializers.CharField(source="item.discussion")


class ConferenceTaskSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="task.uuid")
    decision = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    assignee = serializers.CharField(source="task.assignee")
    agency = AgencyRefSerializer(source="task.agency")
    due_on = serializers.DateField(source="task.due_on")
    status = serializers.CharField(source="task.status")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decision(self, row) -> str | None:
        return row.task.decision if row.text_visible else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_case(self, row) -> str | None:
        return str(row.case.uuid) if row.case is not None else None


class ConferenceDetailSerializer(serializers.Serializer):
    """The conference page: case content (discussion, task text) only for cases the caller may read."""

    conference = ConferenceSerializer()
    agencies = AgencyRefSerializer(many=True)
    attendees = serializers.SerializerMethodField()
    other_attendees = serializers.CharField(source="conference.other_attendees")
    minutes = serializers.CharField(source="conference.minutes")
    discussed = serializers.SerializerMethodField()
    tasks = ConferenceTaskSerializer(many=True)

    def get_attendees(self, page) -> list[str]:
        return [str(user) for user in page.attendees]

    @extend_schema_field(DiscussedCaseSerializer(many=True))
    def get_discussed(self, page):
        return DiscussedCaseSerializer([d for d in page.discussed if d.visible], many=True).data


# --- Tokens ---------------------------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="membership.agency.name", read_only=True)
    role = serializers.CharField(source="membership.role", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["uuid", "name", "prefix", "agency", "role", "created_at", "expires_at", "last_used_at", "revoked_at"]


class ServiceRecordExportQuerySerializer(serializers.Serializer):
    """The query of ``GET /api/v1/service-records/export/``: the period (both days included, each
    optional), the file format and the reason for the download (kept in the access log)."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    file_format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")
    reason = serializers.CharField(min_length=5, max_length=200)

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("끝나는 날이 시작하는 날보다 앞설 수 없습니다.")})
        return data
