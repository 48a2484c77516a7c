from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.domains import LifeDomain
from hamkke.core.forms import DateInput, Form, idempotency_key_field
from hamkke.core.widgets import Picker

from . import selectors
from .models import ContactRecord, ServiceRecord

SERVICE_ROWS = 5


def _choices(placeholder, choices):
    return [("", placeholder)] + list(choices)


class WonField(forms.DecimalField):
    """An amount in won: accepts "10,000" and "10000원" as typed on paper forms."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("원", "").strip()
        return super().to_python(value)


def _plan_action_label(action) -> str:
    return f"v{action.goal.plan.version} · {action.description[:40]}"


class ServiceRecordForm(Form):
    """One row of the quick entry: a row left untouched is ignored."""

    provided_on = forms.DateField(label=_("제공일"), widget=DateInput())
    domain = forms.ChoiceField(label=_("서비스 영역"), choices=_choices(_("영역 선택"), LifeDomain.choices))
    mode = forms.ChoiceField(label=_("제공 방식"), choices=_choices(_("방식 선택"), ServiceRecord.Mode.choices))
    provider_agency = forms.ModelChoiceField(label=_("제공 기관"), queryset=None, empty_label=None)
    resource = forms.ModelChoiceField(label=_("자원"), queryset=None, required=False, empty_label=_("없음"))
    amount_kind = forms.ChoiceField(label=_("금품 구분"), choices=ServiceRecord.AmountKind.choices, required=False)
    amount = WonField(
        label=_("금액(원)"),
        required=False,
        max_digits=12,
        decimal_places=0,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
    )
    plan_action = forms.ModelChoiceField(
        label=_("관련 실행 계획"), queryset=None, required=False, empty_label=_("없음")
    )
    description = forms.CharField(label=_("내용"), max_length=300)

    def __init__(self, *args, case, agency, choices: dict, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_agency"].queryset = selectors.provider_agencies_for_case(case=case)
        self.fields["resource"].queryset = selectors.resources_for_case(case=case)
        self.fields["plan_action"].queryset = selectors.plan_actions_for_case(case=case)
        for name, field_choices in choices.items():  # listed once for all rows (validation uses the queryset)
            self.fields[name].choices = field_choices
        # A district has hundreds of agencies and thousands of resources: searchable pickers, not
        # thousands of <option>s in each of the rows (issue 14). Validation still uses the querysets.
        for name, url_name in (("provider_agency", "records:pick_agency"), ("resource", "records:pick_resource")):
            self.fields[name].widget = Picker(url=reverse(url_name, args=[case.uuid]), labels=labels[name])
        # Field initials (not form initial): an untouched row compares equal and is skipped.
        self.fields["provided_on"].initial = timezone.localdate()
        self.fields["provider_agency"].initial = agency.pk if agency else None

    def row(self) -> dict:
        return dict(self.cleaned_data)


class BaseServiceFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[ServiceRecordForm]:
        """The rows the worker typed something in (valid formset only)."""
        return [form for form in self.forms if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        if not self.filled_forms():
            raise forms.ValidationError(_("기록할 서비스를 한 줄 이상 입력하세요."))


ServiceFormSet = forms.formset_factory(
    ServiceRecordForm,
    formset=BaseServiceFormSet,
    extra=SERVICE_ROWS,
    max_num=SERVICE_ROWS * 4,
    absolute_max=SERVICE_ROWS * 4,
    validate_max=True,  # a forged TOTAL_FORMS cannot make 1,000 forms
)


def _picker_labels(data, *, case, agency) -> dict[str, dict[str, str]]:
    """The names shown in the pickers for the keys already chosen: the actor's agency (the default
    provider) and, when redrawing a posted form, what was posted (one query per picker, not per row)."""
    posted = {"provider_agency": set(), "resource": set()}
    for key, value in (data or {}).items():
        field = key.rsplit("-", 1)[-1]
        if key.startswith("services-") and field in posted and str(value).isdigit():
            posted[field].add(int(value))
    agencies = {str(agency.pk): agency.name} if agency else {}
    if posted["provider_agency"]:
        rows = selectors.provider_agencies_for_case(case=case).filter(pk__in=posted["provider_agency"])
        agencies.update((str(pk), name) for pk, name in rows.values_list("pk", "name"))
    resources = {}
    if posted["resource"]:
        rows = selectors.resources_for_case(case=case).filter(pk__in=posted["resource"])
        resources.update((str(pk), name) for pk, name in rows.values_list("pk", "name"))
    return {"provider_agency": agencies, "resource": resources}


def service_formset(data=None, *, case, agency) -> BaseServiceFormSet:
    none = [("", _("없음"))]
    choices = {
        "plan_action": none + [(a.pk, _plan_action_label(a)) for a in selectors.plan_actions_for_case(case=case)],
    }
    labels = _picker_labels(data, case=case, agency=agency)
    return ServiceFormSet(
        data, prefix="services", form_kwargs={"case": case, "agency": agency, "choices": choices, "labels": labels}
    )


class ContactRecordForm(Form):
    contacted_at = forms.DateTimeField(
        label=_("일시"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    kind = forms.ChoiceField(label=_("방법"), choices=ContactRecord.Kind.choices)
    with_whom = forms.CharField(
        label=_("만난 사람"),
        max_length=100,
        required=False,
        help_text=_("당사자 본인이 아니면 누구인지 적습니다(예: 딸, 이웃, 통장)."),
    )
    outcome = forms.ChoiceField(label=_("결과"), choices=ContactRecord.Outcome.choices)
    purpose = forms.ChoiceField(label=_("목적"), choices=ContactRecord.Purpose.choices)
    note = forms.CharField(label=_("내용"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    sensitive = forms.BooleanField(
        label=_("민감정보(건강·정신건강) 포함"),
        required=False,
        help_text=_("민감정보 동의가 없는 참여 기관에는 보이지 않습니다."),
    )
    next_contact_on = forms.DateField(label=_("다음 접촉 예정일"), required=False, widget=DateInput())
    idempotency_key = idempotency_key_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("contacted_at", timezone.localtime().replace(second=0, microsecond=0))


class VisitForm(Form):
    """ "방문 기록" at the door: the outcome is one big button, the time is now unless changed, the
    rest is optional. The rules are contact_record_add's, as for the full form."""

    OUTCOMES = [
        (ContactRecord.Outcome.MET, _("만남")),
        (ContactRecord.Outcome.NO_ANSWER, _("응답 없음")),
        (ContactRecord.Outcome.REFUSED, _("거부")),
        (ContactRecord.Outcome.MOVED, _("이사·연락 두절")),
    ]
    KINDS = [(ContactRecord.Kind.HOME_VISIT, _("가정 방문")), (ContactRecord.Kind.PHONE, _("전화"))]

    kind = forms.ChoiceField(
        label=_("방법"), choices=KINDS, initial=ContactRecord.Kind.HOME_VISIT, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("결과"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": _("결과를 고르세요.")},
    )
    contacted_at = ContactRecordForm.base_fields["contacted_at"]
    note = forms.CharField(label=_("메모"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    next_contact_on = forms.DateField(label=_("다음 접촉 예정일"), required=False, widget=DateInput())
    with_whom = ContactRecordForm.base_fields["with_whom"]
    purpose = forms.ChoiceField(label=_("목적"), choices=ContactRecord.Purpose.choices)
    sensitive = ContactRecordForm.base_fields["sensitive"]
    idempotency_key = idempotency_key_field()

    def __init__(self, *args, purpose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].initial = purpose
        if not self.is_bound:
            self.initial.setdefault("contacted_at", timezone.localtime().replace(second=0, microsecond=0))

    MORE = ("with_whom", "purpose", "sensitive")  # folded away: most visits need none of them


class RefusalScopeForm(Form):
    scope = forms.ChoiceField(
        label=_("범위"),
        required=False,
        choices=[(selectors.SCOPE_MINE, _("내 사례")), (selectors.SCOPE_AGENCY, _("기관 전체(접근 가능한 사례)"))],
    )

    def scope_value(self) -> str:
        return (self.cleaned_data.get("scope") if self.is_valid() else "") or selectors.SCOPE_MINE
