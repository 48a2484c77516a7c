from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import Form

from .privacy import MIN_REASON_LENGTH


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("min_length", MIN_REASON_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)


class FullRrnForm(Form):
    reason = ReasonField(
        label=_("열람 사유"),
        help_text=_("법령에 따른 어떤 업무에 필요한지 적으세요. 사유는 접속기록에 남고, 번호는 남지 않습니다."),
    )


class AccessRequestForm(Form):
    FORMATS = [("html", _("인쇄용 화면(HTML)")), ("json", _("파일 내려받기(JSON)"))]

    reason = ReasonField(
        label=_("작성 사유"),
        help_text=_("예: 정보주체 열람 청구 접수(접수일·접수번호). 사유는 접속기록에 남습니다."),
    )
    format = forms.ChoiceField(label=_("형식"), choices=FORMATS, initial="html", widget=forms.RadioSelect)
