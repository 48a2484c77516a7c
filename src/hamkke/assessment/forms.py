"""Forms of the consultation and assessment tab. Field names are the services' keyword arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.cases.models import CrisisLevel
from hamkke.core.domains import LifeDomain
from hamkke.core.forms import DateInput, Form
from hamkke.core.locking import VersionField
from hamkke.people.models import Person

from .models import NEED_TEXT_MAX, CrisisRating, Need, Strength
from .services import NEED_TRANSITIONS

CHOOSE = [("", _("선택하세요"))]


class CaseForm(Form):
    """A form about one case: the person fields offer the case household's members only."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if "person" in self.fields:
            self.fields["person"].queryset = Person.objects.filter(
                district_id=case.district_id, household_id=case.household_id
            ).order_by("id")

    @property
    def confirm_offered(self) -> bool:
        return False


def person_field(label):
    return forms.ModelChoiceField(
        label=label, queryset=Person.objects.none(), required=False, empty_label=_("가구 전체·지정 안 함")
    )


class ConsultationForm(CaseForm):
    held_on = forms.DateField(label=_("상담일"), widget=DateInput())
    place = forms.CharField(
        label=_("장소"), max_length=100, required=False, help_text=_("예: 동주민센터 상담실, 당사자 댁")
    )
    participants = forms.CharField(label=_("참석자"), max_length=200, required=False)
    presenting_issues = forms.CharField(
        label=_("당사자가 말한 어려움"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("당사자의 말로 적습니다."),
    )
    worker_observations = forms.CharField(
        label=_("담당자 관찰"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NeedForm(CaseForm):
    """욕구: the person's words, the felt need behind them, and the need both agreed on (DOMAIN.md §3).

    When the agreed text merely repeats the expressed one, the service refuses and the form offers
    a confirm box next to the warning; ticked, the need is saved as typed.
    """

    CONFIRM = "confirm_same_text"
    expected_version = VersionField()

    person = person_field(_("당사자"))
    identified_on = forms.DateField(
        label=_("파악일"),
        required=False,
        widget=DateInput(),
        help_text=_("당사자에게서 이 욕구를 들은 날. 비우면 오늘입니다."),
    )
    domain = forms.ChoiceField(label=_("생활 영역"), choices=CHOOSE + LifeDomain.choices)
    expressed_text = forms.CharField(
        label=_("표현하는 욕구(당사자의 말)"),
        max_length=NEED_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("당사자가 한 말을 그대로 적습니다."),
    )
    felt_text = forms.CharField(
        label=_("느끼는 욕구"),
        max_length=NEED_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("그 말 뒤에서 당사자가 바라는 것."),
    )
    agreed_text = forms.CharField(
        label=_("합의한 욕구"),
        max_length=NEED_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("당사자와 함께 다듬어 합의한 욕구. 느끼는 욕구를 먼저 적어야 합니다."),
    )
    proposer = forms.ChoiceField(
        label=_("제안자"), choices=Need.Proposer.choices, initial=Need.Proposer.PERSON, widget=forms.RadioSelect
    )
    framing = forms.ChoiceField(
        label=_("욕구 성격"),
        choices=Need.Framing.choices,
        initial=Need.Framing.POSITIVE,
        widget=forms.RadioSelect,
        help_text=_("가능하면 좋은 것을 이루고 누리는 적극적 욕구로 함께 표현합니다."),
    )
    confirm_same_text = forms.BooleanField(label=_("표현한 말 그대로 합의했음을 확인"), required=False)

    def __iter__(self):
        # The confirm box is drawn next to the warning it answers (assessment/_form_body.html).
        return (self[name] for name in self.fields if name != self.CONFIRM)

    @property
    def confirm_offered(self) -> bool:
        ticked = bool(getattr(self, "cleaned_data", {}).get(self.CONFIRM))
        return ticked or self.has_error("agreed_text", "agreed_repeats_expressed")


class NeedStatusForm(Form):
    status = forms.ChoiceField(label=_("바꿀 상태"))
    expected_version = VersionField()
    set_aside_reason = forms.ChoiceField(
        label=_("내려놓는 이유"),
        choices=CHOOSE + Need.SetAsideReason.choices,
        required=False,
        help_text=_("‘내려놓음’일 때 필요합니다. 욕구는 지우지 않고 이유와 함께 남깁니다."),
    )
    set_aside_note = forms.CharField(
        label=_("이유 설명"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, need: Need, **kwargs):
        kwargs.setdefault("initial", {"expected_version": need.lock_version})
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, Need.Status(s).label) for s in Need.Status.values if s in NEED_TRANSITIONS[need.status]
        ]


class StrengthForm(CaseForm):
    person = person_field(_("당사자"))
    side = forms.ChoiceField(label=_("구분"), choices=Strength.Side.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("종류"),
        choices=CHOOSE + Strength.Kind.choices,
        help_text=_("안쪽: 경험·역량·의지. 바깥: 가족·친구·아는 이웃 등 관계."),
    )
    description = forms.CharField(label=_("내용"), max_length=200)
    domain = forms.ChoiceField(label=_("도움이 되는 생활 영역"), choices=CHOOSE + LifeDomain.choices, required=False)
    in_use = forms.TypedChoiceField(
        label=_("지금 쓰고 있나요?"),
        choices=[(True, _("쓰고 있는 자원")), (False, _("쓸 수 있는 자원"))],
        coerce=lambda value: value in (True, "True"),
        initial=True,
        required=False,
        empty_value=True,  # not said: a resource the person uses
        widget=forms.RadioSelect,
    )
    tie = forms.TypedChoiceField(
        label=_("관계의 성격"),
        choices=Strength.Tie.choices,
        initial=Strength.Tie.ORDINARY,
        required=False,
        empty_value=Strength.Tie.ORDINARY,
        help_text=_("생태도의 선으로 그려집니다 (바깥 자원)."),
    )
    note = forms.CharField(label=_("메모"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CrisisAssessmentForm(CaseForm):
    """위기도 조사: each usual area rated 0-3 with a note; the level follows from them unless the worker
    decides another one with a reason (assessment.crisis). Without any area rated, the level is given."""

    assessed_on = forms.DateField(label=_("조사일"), widget=DateInput())
    level = forms.ChoiceField(
        label=_("위기도"),
        choices=[("", _("영역 평가대로"))] + CrisisLevel.choices,
        required=False,
        help_text=_("비워 두면 영역 평가에 따른 위기도가 됩니다. 다르게 정하면 사유를 적으세요."),
    )
    override_reason = forms.CharField(
        label=_("위기도를 달리 정한 사유"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    safety_risk = forms.BooleanField(label=_("안전 위험 (영역 평가를 하지 않을 때)"), required=False)
    mental_health_risk = forms.BooleanField(label=_("정신건강 위험 (영역 평가를 하지 않을 때)"), required=False)
    note = forms.CharField(label=_("근거"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area, label in CrisisRating.Area.choices:
            self.fields[f"score_{area}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("평가 안 함"))] + [(str(v), f"{v} {n}") for v, n in CrisisRating.Score.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note_{area}"] = forms.CharField(
                label=_("%(area)s 메모") % {"area": label}, max_length=2000, required=False
            )

    def area_fields(self):
        """(score field, note field) per area, for the template."""
        return [(self[f"score_{area}"], self[f"note_{area}"]) for area in CrisisRating.Area.values]

    def clean(self):
        data = super().clean()
        ratings = {}
        for area in CrisisRating.Area.values:
            score, note = data.pop(f"score_{area}", None), data.pop(f"note_{area}", "")
            if score is not None:
                ratings[area] = (score, note)
        data["ratings"] = ratings or None
        if not ratings and not data.get("level"):
            self.add_error("level", _("영역을 하나 이상 평가하거나 위기도를 고르세요."))
        return data
