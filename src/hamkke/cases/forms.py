from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput
from hamkke.core.locking import VersionField
from hamkke.districts.models import Dong
from hamkke.people.models import Person

from .models import CrisisLevel, ReferralSource, Urgency
from .workflow import Stage, direct_next


class CaseloadFilterForm(forms.Form):
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


class StageChangeForm(forms.Form):
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


class CaseRegisterForm(forms.Form):
    """발굴·등록: a household found by outreach or referral, its head, and a new case.

    Before creating, the view looks for the same person already registered in the district
    (``accept_duplicates``): a match by name and birth date needs the worker's confirmation that
    it is someone else (the box is offered only then, next to the matches); an RRN match is a stop.
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
    dong = forms.ModelChoiceField(label=_("행정동"), queryset=Dong.objects.none(), empty_label=_("선택하세요"))
    address = forms.CharField(label=_("주소"), max_length=200)
    address_detail = forms.CharField(label=_("상세 주소"), max_length=100, required=False)
    name = forms.CharField(label=_("세대주 성명"), max_length=50)
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput())
    sex = forms.ChoiceField(label=_("성별"), choices=Person.Sex.choices)
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

    def accept_duplicates(self, candidates: list) -> bool:
        """Take the duplicate lookup's result; True when the case may be created now."""
        self.duplicates = candidates
        if any(c.is_rrn_match for c in candidates):
            self.add_error(
                "rrn" if "rrn" in self.fields else None,
                _("같은 주민등록번호로 등록된 당사자가 있어 새로 등록할 수 없습니다. 기존 당사자를 여세요."),
            )
            return False
        if candidates and not self.cleaned_data.get(self.CONFIRM):
            self.add_error(
                self.CONFIRM,
                _(
                    "같은 이름·생년월일의 당사자가 이미 있습니다. 기존 당사자를 열거나, "
                    "다른 사람임을 확인하고 다시 등록하세요."
                ),
            )
            return False
        return True

    def head(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("name", "birth_date", "sex", "phone", "rrn")}

    def intake(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("referral_source", "referral_note", "first_contact_on", "urgency")}
