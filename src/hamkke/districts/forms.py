from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from hamkke.cases.models import CaseType
from hamkke.core.forms import Form, ModelForm

from .models import DistrictPolicy
from .services import FOLLOW_UP_MAX_COUNT, FOLLOW_UP_MAX_DAYS, MONITORING_DAYS, POLICY_FLAGS, POLICY_NUMBERS


class FollowUpDaysField(forms.CharField):
    """'30, 90, 180' <-> [30, 90, 180]: days after closure at which a follow-up contact is due."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        parts = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() and 1 <= int(part) <= FOLLOW_UP_MAX_DAYS for part in parts):
            raise forms.ValidationError(
                _("종결 후 일수를 1에서 %(max)s 사이의 정수로, 쉼표로 구분해 넣으세요. 예: 30, 90, 180"),
                params={"max": FOLLOW_UP_MAX_DAYS},
            )
        if len(parts) > FOLLOW_UP_MAX_COUNT:
            raise forms.ValidationError(
                _("사후관리 시점은 %(count)s개까지입니다."), params={"count": FOLLOW_UP_MAX_COUNT}
            )
        return sorted({int(part) for part in parts})


class DistrictPolicyForm(ModelForm):
    follow_up_days = FollowUpDaysField(
        label=_("사후관리 접촉 시점(종결 후 일수)"),
        required=False,
        max_length=200,
        help_text=_("쉼표로 구분합니다. 예: 30, 90, 180. 비우면 사후관리 일정을 만들지 않습니다."),
    )

    class Meta:
        model = DistrictPolicy
        fields = [*POLICY_NUMBERS, "follow_up_days", *POLICY_FLAGS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in POLICY_NUMBERS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)


class CaseTypeForm(Form):
    name = forms.CharField(label=_("명칭"), max_length=30)
    monitoring_days = forms.IntegerField(
        label=_("점검 주기(일)"), min_value=MONITORING_DAYS[0], max_value=MONITORING_DAYS[1]
    )
    referral_only = forms.BooleanField(label=_("서비스연계(경량 트랙)"), required=False)
    is_active = forms.BooleanField(label=_("사용"), required=False, initial=True)

    @classmethod
    def for_case_type(cls, case_type: CaseType, data=None) -> "CaseTypeForm":
        initial = {field: getattr(case_type, field) for field in cls.base_fields}
        return cls(data, initial=initial, prefix=f"ct{case_type.pk}")


class DistrictSetupForm(Form):
    """The platform administrator's form: a district, its agencies (``기관명=종류`` lines), its admin."""

    code = forms.CharField(label=_("행정구역코드"), max_length=10, help_text=_("숫자 10자리 이하 (예: 11200)"))
    name = forms.CharField(label=_("시군구명"), max_length=50)
    agencies = forms.CharField(
        label=_("기관 (한 줄에 하나: 기관명=종류)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("첫 줄의 기관이 관리자가 일하는 곳입니다."),
    )
    admin_username = forms.CharField(label=_("관리자 계정 이름"), max_length=150)
    admin_email = forms.EmailField(label=_("관리자 이메일"), required=False)
    admin_display_name = forms.CharField(label=_("관리자 표시 이름"), max_length=50, required=False)

    def clean_agencies(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["agencies"].splitlines():
            if not line.strip():
                continue
            agency_name, sep, kind = line.rpartition("=")
            if not sep:
                raise forms.ValidationError(_("각 줄을 ‘기관명=종류’로 쓰세요."))
            pairs.append((agency_name.strip(), kind.strip()))
        return pairs
