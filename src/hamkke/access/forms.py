from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import Form


class EmergencyAccessForm(Form):
    reason = forms.CharField(
        label=_("긴급 열람 사유"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("사유는 접속기록에 남고 시군구 관리자가 검토합니다."),
    )


class EmergencyReviewForm(Form):
    note = forms.CharField(label=_("검토 의견"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
