from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form

from .models import Person


class PersonForm(Form):
    # Optional here: the service checks them with the RRN, and says every problem in one answer.
    name = forms.CharField(label=_("성명"), max_length=50, required=False)
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput(), required=False)
    sex = forms.ChoiceField(label=_("성별"), choices=[("", _("선택하세요"))] + Person.Sex.choices, required=False)
    relation = forms.ChoiceField(label=_("세대주와의 관계"), choices=Person.Relation.choices)
    phone = forms.CharField(label=_("연락처"), max_length=20, required=False)
    rrn = forms.CharField(
        label=_("주민등록번호"),
        max_length=14,
        required=False,
        help_text=_("선택 사항. 법적 근거가 있는 기관만 입력합니다. 화면에는 뒷자리가 가려져 표시됩니다."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "900101-1234567"}),
    )

    def __init__(self, *args, rrn_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not rrn_allowed:
            del self.fields["rrn"]


class IdentityForm(Form):
    """신원 확인: the identity of a person registered as "성명 미상", once known. The service checks
    the values and runs the duplicate check; a match is shown with the choice to merge."""

    CONFIRM = "confirm_not_duplicate"

    name = forms.CharField(label=_("성명"), max_length=50, required=False)
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput(), required=False)
    sex = forms.ChoiceField(label=_("성별"), choices=[("", _("선택하세요"))] + Person.Sex.choices, required=False)
    phone = forms.CharField(label=_("연락처"), max_length=20, required=False)
    rrn = forms.CharField(
        label=_("주민등록번호"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "900101-1234567"}),
    )
    confirm_not_duplicate = forms.BooleanField(label=_("기존 당사자와 다른 사람임을 확인했습니다"), required=False)

    def __init__(self, *args, rrn_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not rrn_allowed:
            del self.fields["rrn"]
        self.duplicates: list = []

    def __iter__(self):
        return (self[name] for name in self.fields if name != self.CONFIRM)

    @property
    def confirm_offered(self) -> bool:
        return bool(self.duplicates) and not any(c.is_rrn_match for c in self.duplicates)
