from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form


class TokenForm(Form):
    name = forms.CharField(
        label=_("토큰 이름"), max_length=100, help_text=_("어디에서 쓰는 토큰인지 (예: 통계 연동 서버).")
    )
    expires_on = forms.DateField(
        label=_("만료일"), required=False, widget=DateInput(), help_text=_("비워 두면 폐기할 때까지 쓸 수 있습니다.")
    )
