from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput

from .models import Person


class PersonForm(forms.Form):
    name = forms.CharField(label=_("성명"), max_length=50)
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput())
    sex = forms.ChoiceField(label=_("성별"), choices=Person.Sex.choices)
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
