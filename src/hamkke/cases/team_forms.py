from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import CASEWORK, roles_with
from hamkke.accounts.models import User
from hamkke.core.forms import Form
from hamkke.districts.models import Agency


class _AgencyWorkerForm(Form):
    """An agency of the case's district and, optionally, one of its workers."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(district_id=case.district_id, is_active=True).order_by("name")
        self.fields[self.agency_field].queryset = agencies
        self.fields[self.worker_field].queryset = (
            User.objects.filter(
                memberships__agency__in=agencies,
                memberships__is_active=True,
                memberships__role__in=roles_with(CASEWORK),
            )
            .distinct()
            .order_by("display_name")
        )


class ParticipantAddForm(_AgencyWorkerForm):
    agency_field, worker_field = "agency", "worker"
    agency = forms.ModelChoiceField(
        label=_("참여 기관"), queryset=Agency.objects.none(), empty_label=_("기관을 고르세요")
    )
    worker = forms.ModelChoiceField(
        label=_("담당자"), queryset=User.objects.none(), required=False, empty_label=_("정하지 않음(기관에서 정함)")
    )
    role = forms.CharField(label=_("역할"), max_length=100, required=False)


class LeadTransferForm(_AgencyWorkerForm):
    agency_field, worker_field = "to_agency", "to_worker"
    to_agency = forms.ModelChoiceField(
        label=_("새 주관 기관"), queryset=Agency.objects.none(), empty_label=_("기관을 고르세요")
    )
    to_worker = forms.ModelChoiceField(
        label=_("새 주 담당자"), queryset=User.objects.none(), empty_label=_("담당자를 고르세요")
    )
    note = forms.CharField(label=_("이관 사유"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    keep_previous_as_participant = forms.BooleanField(
        label=_("이전 주관 기관은 참여 기관으로 남음"), required=False, initial=True
    )


class ParticipantLeaveForm(Form):
    note = forms.CharField(label=_("메모"), max_length=2000, required=False)
