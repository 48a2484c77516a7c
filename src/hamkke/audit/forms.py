import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form

from .models import Action


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class LogFilterForm(Form):
    start = forms.DateField(label=_("시작일"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("종료일"), widget=DateInput(), required=False)
    username = forms.CharField(label=_("사용자 계정"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("행위"), choices=[("", _("전체"))] + Action.choices, required=False)
    case_ref = forms.CharField(label=_("사례 번호"), max_length=36, required=False)
    person_name = forms.CharField(label=_("당사자 성명"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["start"] = data.get("start") or _month_start(today)
        data["end"] = data.get("end") or today
        if data["end"] < data["start"]:
            self.add_error("end", _("종료일은 시작일 이후여야 합니다."))
        elif (data["end"] - data["start"]).days > 366:
            self.add_error("end", _("한 번에 1년까지 조회할 수 있습니다."))
        return data


class ExportForm(Form):
    reason = forms.CharField(
        label=_("내려받는 사유"), max_length=300, help_text=_("개인정보가 담긴 파일입니다. 사유가 접속기록에 남습니다.")
    )


class MonthlyReviewForm(Form):
    month = forms.DateField(label=_("점검 월(그 달의 아무 날)"), widget=DateInput())
    note = forms.CharField(label=_("점검 의견"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    flags_seen = forms.MultipleChoiceField(
        label=_("확인한 이상 징후"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, flag_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flags_seen"].choices = flag_choices
