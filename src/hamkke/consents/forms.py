from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form
from hamkke.districts.models import Agency
from hamkke.people.models import Person

OPTIONAL_ITEMS = [
    ("contact", _("연락처")),
    ("family", _("가족관계")),
    ("income", _("소득·재산")),
    ("health", _("건강 상태(일반)")),
    ("photo", _("사진·영상(활동 기록)")),
]


class ConsentForm(Form):
    person = forms.ModelChoiceField(
        label=_("동의인(당사자)"), queryset=Person.objects.none(), empty_label=_("동의한 사람을 고르세요")
    )
    given_on = forms.DateField(label=_("동의일"), widget=DateInput())
    expires_on = forms.DateField(label=_("만료일"), required=False, widget=DateInput())
    required_collection = forms.BooleanField(label=_("필수 항목 수집·이용에 동의함"), required=False)
    optional_items = forms.MultipleChoiceField(
        label=_("선택 항목 동의"), choices=OPTIONAL_ITEMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    share_with_district_network = forms.BooleanField(label=_("지역 통합사례관리 네트워크 전체에 제공"), required=False)
    third_party_agencies = forms.ModelMultipleChoiceField(
        label=_("제3자 제공 기관"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sensitive_data = forms.BooleanField(label=_("민감정보(건강·정신건강) 처리에 별도 동의함"), required=False)
    guardian_name = forms.CharField(
        label=_("법정대리인 성명"),
        max_length=50,
        required=False,
        help_text=_("만 14세 미만이면 법정대리인이 동의합니다."),
    )
    guardian_relation = forms.CharField(label=_("법정대리인 관계"), max_length=30, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(household_id=case.household_id)
        self.fields["third_party_agencies"].queryset = Agency.objects.filter(
            district_id=case.district_id, is_active=True
        ).exclude(pk=case.lead_agency_id)
