from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form, apply_service_errors
from hamkke.core.locking import VersionField
from hamkke.districts.models import Dong
from hamkke.people.models import Person
from hamkke.people.search_views import PersonSearchForm

from .models import CrisisLevel, ReferralSource, Urgency
from .workflow import Stage, direct_next


class CaseloadFilterForm(Form):
    SCOPE_MINE = "mine"
    SCOPE_ALL = "all"
    scope = forms.ChoiceField(
        label=_("범위"),
        choices=[(SCOPE_MINE, _("내 사례")), (SCOPE_ALL, _("접근 가능한 전체 사례"))],
        required=False,
    )
    STAGE_EVERY = "every"  # closed and follow-up cases too (issue 13 item 3)
    stage = forms.ChoiceField(
        label=_("단계"),
        choices=[("", _("진행 중 전체")), (STAGE_EVERY, _("전체(종결·사후관리 포함)"))] + Stage.choices,
        required=False,
    )
    crisis_level = forms.ChoiceField(label=_("위기도"), choices=[("", _("전체"))] + CrisisLevel.choices, required=False)
    dong = forms.ModelChoiceField(
        label=_("행정동"), queryset=Dong.objects.none(), required=False, empty_label=_("전체")
    )

    def __init__(self, *args, district_id=None, default_scope=SCOPE_MINE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = Dong.objects.filter(district_id=district_id)
        self.default_scope = default_scope

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        scope = data.get("scope") or self.default_scope
        return {
            "mine_only": scope == self.SCOPE_MINE,
            "stage": "" if data.get("stage") == self.STAGE_EVERY else data.get("stage", ""),
            "include_inactive": data.get("stage") == self.STAGE_EVERY,
            "crisis_level": data.get("crisis_level", ""),
            "dong_id": data["dong"].pk if data.get("dong") else None,
        }


class StageChangeForm(Form):
    to_stage = forms.ChoiceField(label=_("다음 단계"))
    expected_version = VersionField()
    reason = forms.CharField(
        label=_("사유·메모"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("거부·보류·종결로 바꿀 때는 사유가 필요합니다."),
    )
    occurred_at = forms.DateTimeField(
        label=_("일시"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("실제로 바뀐 때(예: 방문에서 거부한 날). 나중에 입력해도 그 날짜로 셉니다. 비우면 지금입니다."),
    )

    def __init__(self, *args, current_stage: str, version: int | None = None, **kwargs):
        initial = {"expected_version": version, "occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        super().__init__(*args, initial=initial, **kwargs)
        # A stage entered only through its approval (closing: reason, evaluation, 결재) is not offered.
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in direct_next(current_stage)]


class CaseRegisterForm(Form):
    """발굴·등록: a household found by outreach or referral, its head, and a new case.

    The registration service looks for the same person already registered in the district
    (``people.services.person_duplicate_check``); the form shows its result (``show_duplicates``):
    a match by name and birth date needs the worker's confirmation that it is someone else (the box
    is offered only then, next to the matches); an RRN match is a stop.
    """

    CONFIRM = "confirm_not_duplicate"

    referral_source = forms.ChoiceField(
        label=_("발굴 경로"), choices=[("", _("선택하세요"))] + ReferralSource.choices, required=False
    )
    referral_note = forms.CharField(
        label=_("발굴 경로 메모"),
        max_length=200,
        required=False,
        help_text=_("누가 어떻게 알렸는지 (예: 옆집 주민이 우편물이 쌓인 것을 보고 연락)."),
    )
    first_contact_on = forms.DateField(label=_("첫 접촉일"), required=False, widget=DateInput())
    urgency = forms.ChoiceField(
        label=_("긴급도 선별"), choices=[("", _("선택하세요"))] + Urgency.choices, required=False
    )
    # Checked by the registration service with everything else, so that every problem comes in one answer.
    dong = forms.ModelChoiceField(
        label=_("행정동"), queryset=Dong.objects.none(), empty_label=_("선택하세요"), required=False
    )
    address = forms.CharField(label=_("주소"), max_length=200, required=False)
    address_detail = forms.CharField(label=_("상세 주소"), max_length=100, required=False)
    identity_unknown = forms.BooleanField(
        label=_("성명 미상(신원 확인 전)"),
        required=False,
        help_text=_("문이 열리지 않아 누구인지 모를 때. 본 것과 들은 것을 적고, 신원은 나중에 확인합니다."),
    )
    name = forms.CharField(label=_("세대주 성명"), max_length=50, required=False)
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput(), required=False)
    sex = forms.ChoiceField(label=_("성별"), choices=[("", _("선택하세요"))] + Person.Sex.choices, required=False)
    apparent_age_band = forms.ChoiceField(
        label=_("추정 연령대"), choices=[("", _("모름"))] + Person.AgeBand.choices, required=False
    )
    description = forms.CharField(
        label=_("인상착의·관찰 내용"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("신원을 모를 때: 본 것, 들은 것, 누가 알렸는지 (예: 우편물이 쌓임, 옆집 주민 제보)."),
    )
    phone = forms.CharField(label=_("연락처"), max_length=20, required=False)
    rrn = forms.CharField(
        label=_("주민등록번호"),
        max_length=14,
        required=False,
        help_text=_("선택 사항. 법적 근거가 있는 기관만 입력합니다. 화면에는 뒷자리가 가려져 표시됩니다."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "900101-1234567"}),
    )
    summary = forms.CharField(
        label=_("주요 문제·상황"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_not_duplicate = forms.BooleanField(label=_("기존 당사자와 다른 사람임을 확인했습니다"), required=False)

    def __init__(self, *args, district_id=None, rrn_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = Dong.objects.filter(district_id=district_id)
        if not rrn_allowed:
            del self.fields["rrn"]
        self.duplicates: list = []

    def __iter__(self):
        # The confirm box is drawn next to the matches it is about (register.html), not with the fields.
        return (self[name] for name in self.fields if name != self.CONFIRM)

    @property
    def confirm_offered(self) -> bool:
        return bool(self.duplicates) and not any(c.is_rrn_match for c in self.duplicates)

    def show_duplicates(self, error) -> None:
        """Show the registration service's ``DuplicatePersonFound``: the matches and why it stopped."""
        self.duplicates = error.candidates
        apply_service_errors(self, error)

    def head(self) -> dict:
        data = self.cleaned_data
        head = {key: data.get(key, "") for key in ("name", "sex", "phone", "rrn", "apparent_age_band", "description")}
        return head | {"birth_date": data.get("birth_date"), "identity_known": not data.get("identity_unknown")}

    def intake(self) -> dict:
        data = self.cleaned_data
        keys = ("referral_source", "referral_note", "first_contact_on", "urgency", self.CONFIRM)
        return {key: data[key] for key in keys}


class CaseSearchForm(PersonSearchForm):
    """The header's case search: one query, read by the person search's parser (``for_cases``)."""

    for_cases = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        q = self.fields["q"]
        q.error_messages["required"] = _(
            "사례번호, 이름이나 초성, 주소 일부, 전화번호 끝 4자리 또는 생년월일을 입력하세요."
        )
        q.error_messages["max_length"] = _("검색어는 %(limit_value)d자 이내로 입력하세요.")
        q.help_text = _(
            "사례번호(예: 00E0385D), 이름이나 초성, 주소 일부(예: 신당동, 다산로 12), 전화번호 끝 4자리, "
            "생년월일을 띄어 써서 함께 입력할 수 있습니다."
        )
        q.widget.input_type = "search"
        q.widget.attrs["placeholder"] = "00E0385D · 김민수 · 다산로 12"
