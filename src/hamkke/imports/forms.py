from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import Form

from .models import ImportJob

FORMATS = [("xlsx", _("엑셀(xlsx)")), ("csv", "CSV")]


class UploadForm(Form):
    kind = forms.ChoiceField(label=_("가져올 자료"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("파일(CSV 또는 xlsx)"),
        help_text=_("첫 행은 열 이름입니다. 먼저 미리 검사하고, 문제가 없으면 가져옵니다."),
    )


class ExportForm(Form):
    entity = forms.ChoiceField(label=_("내보낼 자료"), choices=ImportJob.Kind.choices)
    file_format = forms.ChoiceField(label=_("형식"), choices=FORMATS)
    reason = forms.CharField(
        label=_("내려받는 이유"), max_length=200, help_text=_("접속기록에 남습니다(예: 분기 보고용 서비스 실적 집계).")
    )
