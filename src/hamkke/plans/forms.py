from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.forms import DateInput, Form
from hamkke.core.locking import VersionField

from .models import Ask, Goal, Performer, PlanAction, ServicePlan


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal: Goal) -> str:
        return f"{goal.description[:60]} ← {goal.need.agreed_text[:40]}"


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, need) -> str:
        return f"[{need.get_domain_display()}] {need.agreed_text[:80]}"


class GoalForm(Form):
    need = NeedChoiceField(
        label=_("합의한 욕구"),
        queryset=None,
        empty_label=_("선택하세요"),
        help_text=_("당사자와 합의해 선택한 욕구만 목표로 삼습니다."),
    )
    description = forms.CharField(
        label=_("목표"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("당사자가 이루고 누리고 싶은 모습을 당사자의 말로 적습니다."),
    )
    progress_measure = forms.CharField(
        label=_("진행 판단 방법"),
        max_length=300,
        required=False,
        help_text=_("무엇을 보고 잘 되어 가는지 판단할지 적습니다."),
    )

    def __init__(self, *args, needs, **kwargs):
        kwargs.setdefault("auto_id", "id_goal_%s")  # one page holds several forms: ids stay unique
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs


class ActionForm(Form):
    """실행 계획 추가. ``proposals`` are the means proposed for the chosen goal's need (DOMAIN.md §4 order)."""

    goal = GoalChoiceField(
        label=_("목표 선택"), queryset=None, empty_label=None, error_messages={"required": _("목표를 고르세요")}
    )
    means = forms.ChoiceField(label=_("쓰는 자원"), required=False, widget=forms.RadioSelect)
    performer = forms.ChoiceField(
        label=_("누가 하나요"),
        choices=[("", _("선택하세요"))] + Performer.choices,
        error_messages={"required": _("누가 하는지 고르세요 (당사자, 가족, 이웃, 기관 …)")},
    )
    performer_name = forms.CharField(
        label=_("수행자 이름"), max_length=100, required=False, help_text=_("예: 큰딸, 옆집 이웃, 바리스타 과정 담당자")
    )
    due_on = forms.DateField(label=_("기한"), required=False, widget=DateInput())
    description = forms.CharField(label=_("실행 내용"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, goals, proposals=(), **kwargs):
        kwargs.setdefault("auto_id", "id_action_%s")
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.proposals = list(proposals)
        self.fields["means"].choices = [("", _("자원 없이"))] + [(p.key, str(p.item)) for p in self.proposals]

    def clean(self) -> dict:
        data = super().clean()
        chosen = next((p for p in self.proposals if p.key == data.get("means")), None)
        data["strength"] = chosen.strength if chosen else None
        data["resource"] = chosen.resource if chosen else None
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("goal", "description", "performer", "performer_name", "due_on", "strength", "resource")
        }


class AgreementForm(Form):
    agreed_on = forms.DateField(label=_("당사자 동의일"), widget=DateInput())
    method = forms.ChoiceField(label=_("동의 방법"), choices=ServicePlan.AgreementMethod.choices)
    expected_version = VersionField()

    def __init__(self, *args, plan: ServicePlan | None = None, **kwargs):
        if plan is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "agreed_on": plan.agreed_on or timezone.localdate(),
                    "method": plan.agreement_method,
                    "expected_version": plan.lock_version,
                },
            )
        super().__init__(*args, **kwargs)


class AskForm(Form):
    """묻고 의논하고 부탁하기 기록. The action it belongs to (if any) is posted as a hidden ``action`` uuid."""

    whom = forms.CharField(
        label=_("누구에게"),
        max_length=100,
        help_text=_("당사자, 가족, 이웃, 기관 담당자 등"),
        error_messages={"required": _("누구에게 물었는지 입력하세요 (예: 큰딸, 옆집 이웃)")},
    )
    whom_role = forms.ChoiceField(label=_("대상"), choices=Performer.choices)
    method = forms.ChoiceField(label=_("방법"), choices=Ask.Method.choices)
    asked_on = forms.DateField(label=_("일자"), widget=DateInput())
    answer = forms.ChoiceField(label=_("응답"), choices=Ask.Answer.choices, initial=Ask.Answer.PENDING)
    note = forms.CharField(
        label=_("메모"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("누가 무엇을 하기로 했는지 적습니다."),
    )

    def __init__(self, *args, action: PlanAction | None = None, **kwargs):
        kwargs.setdefault("initial", {"asked_on": timezone.localdate()})
        kwargs.setdefault("auto_id", f"id_ask_{action.uuid.hex[:8]}_%s" if action else "id_ask_%s")
        super().__init__(*args, **kwargs)


class AskAnswerForm(Form):
    answer = forms.ChoiceField(label=_("응답"), choices=Ask.Answer.choices)


class SummaryForm(Form):
    """계획 요지 of the version being written."""

    summary = forms.CharField(
        label=_("계획 요지"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ActionReviewForm(Form):
    """An overdue action carried into a new version: confirm it, or give a new due date."""

    due_on = forms.DateField(label=_("새 기한"), required=False, widget=DateInput())


class ActionStatusForm(Form):
    # ENDED is set by closing the case, never by hand.
    status = forms.ChoiceField(
        label=_("상태"), choices=[c for c in PlanAction.Status.choices if c[0] != PlanAction.Status.ENDED]
    )
