from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import Form

from .models import REASON_MAX


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        if getattr(agency, "referred_now", False):
            return _("%(name)s (의뢰 진행 중)") % {"name": agency.name}
        if not getattr(agency, "consent_covers", True):
            return _("%(name)s (동의 기록 없음)") % {"name": agency.name}
        return agency.name


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, need):
        text = need.agreed_text or need.expressed_text
        return f"[{need.get_status_display()}] {text[:60]}"


class ReferralSendForm(Form):
    to_agency = AgencyChoiceField(label=_("의뢰할 기관"), queryset=None, empty_label=_("선택하세요"))
    need = NeedChoiceField(
        label=_("의뢰할 욕구"),
        queryset=None,
        required=False,
        empty_label=_("사례 전체"),
        help_text=_("한 가지 욕구만 의뢰할 때 고르세요. 받는 기관에는 합의한 욕구의 내용이 보입니다."),
    )
    reason = forms.CharField(
        label=_("의뢰 사유"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("받는 기관이 수락 전에 보는 내용입니다. 필요한 만큼만 적으세요."),
    )

    def __init__(self, *args, agencies, needs, **kwargs):
        kwargs.setdefault("auto_id", "send_%s")
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies
        self.fields["need"].queryset = needs


class AcceptForm(Form):
    note = forms.CharField(
        label=_("수락 메모"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "accept_%s")
        super().__init__(*args, **kwargs)


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("거절 사유"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("거절 사유를 적으세요.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)


class CompleteForm(Form):
    note = forms.CharField(
        label=_("완료 내용"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("완료 내용을 적으세요.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "complete_%s")
        super().__init__(*args, **kwargs)
