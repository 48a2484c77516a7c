from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.domains import LifeDomain
from hamkke.core.forms import Form
from hamkke.districts.models import Agency, Dong

from .models import Resource


class ResourceFilterForm(Form):
    ACTIVE, INACTIVE, ALL = "active", "inactive", "all"

    text = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("자원명·설명·제공자")}),
    )
    kind = forms.ChoiceField(label=_("자원 구분"), choices=[("", _("전체"))] + Resource.Kind.choices, required=False)
    domain = forms.ChoiceField(label=_("생활 영역"), choices=[("", _("전체"))] + LifeDomain.choices, required=False)
    dong = forms.ModelChoiceField(
        label=_("행정동"), queryset=Dong.objects.none(), required=False, empty_label=_("전체")
    )
    active = forms.ChoiceField(
        label=_("사용 여부"),
        required=False,
        choices=[(ACTIVE, _("사용 중")), (INACTIVE, _("사용 중지")), (ALL, _("전체"))],
    )

    def __init__(self, *args, district_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = Dong.objects.filter(district_id=district_id)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        active = data.get("active") or self.ACTIVE
        return {
            "text": data.get("text", ""),
            "kind": data.get("kind", ""),
            "domain": data.get("domain", ""),
            "dong_id": data["dong"].pk if data.get("dong") else None,
            "active": None if active == self.ALL else active == self.ACTIVE,
        }


T = Resource.Type
TYPE_CHOICES = [
    (_("비공식 자원"), [(t.value, t.label) for t in T if t in Resource.INFORMAL_TYPES]),
    (_("복지 서비스 자원(공식)"), [(t.value, t.label) for t in T if t not in Resource.INFORMAL_TYPES and t != T.OTHER]),
    (T.OTHER.value, T.OTHER.label),
]


class ResourceForm(Form):
    """자원 등록·수정. The service checks that the type fits the kind and that everything is in the district."""

    name = forms.CharField(label=_("자원명"), max_length=120)
    kind = forms.ChoiceField(label=_("자원 구분"), choices=Resource.Kind.choices)
    type = forms.ChoiceField(
        label=_("유형"),
        choices=TYPE_CHOICES,
        help_text=_("자원 구분에 맞는 유형을 고르세요. ‘기타’는 두 구분 모두에 쓸 수 있습니다."),
    )
    domain = forms.ChoiceField(label=_("생활 영역"), choices=LifeDomain.choices)
    description = forms.CharField(
        label=_("설명"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    provider = forms.CharField(
        label=_("제공자"),
        required=False,
        max_length=120,
        help_text=_("사람·모임·가게 이름 등. 기관이면 아래 ‘제공 기관’을 고르세요."),
    )
    provider_agency = forms.ModelChoiceField(
        label=_("제공 기관"), queryset=Agency.objects.none(), required=False, empty_label=_("없음")
    )
    dongs = forms.ModelMultipleChoiceField(
        label=_("이용 가능 행정동"),
        queryset=Dong.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("비워 두면 시군구 전체에서 이용할 수 있습니다."),
    )
    contact = forms.CharField(label=_("연락처"), required=False, max_length=120)
    capacity = forms.IntegerField(label=_("정원·수용 가능 인원"), required=False, min_value=0)
    is_ordinary = forms.BooleanField(
        label=_("평범한 자원(누구나 이용)"),
        required=False,
        initial=True,
        help_text=_("특별한 자원은 어려운 사람만을 위해 만든 것입니다. 평범한 자원을 먼저 씁니다."),
    )
    is_active = forms.BooleanField(
        label=_("사용"),
        required=False,
        initial=True,
        help_text=_("더 이상 이용할 수 없으면 체크를 풀어 사용을 중지합니다."),
    )

    def __init__(self, *args, district_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_agency"].queryset = Agency.objects.filter(district_id=district_id, is_active=True)
        self.fields["dongs"].queryset = Dong.objects.filter(district_id=district_id)

    @staticmethod
    def initial_for(resource: Resource) -> dict:
        data = {
            name: getattr(resource, name)
            for name in (
                "name",
                "kind",
                "type",
                "domain",
                "description",
                "provider",
                "provider_agency",
                "contact",
                "capacity",
                "is_ordinary",
                "is_active",
            )
        }
        data["dongs"] = list(resource.dongs.all())
        return data
