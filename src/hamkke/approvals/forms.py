from django import forms
from django.utils.translation import gettext_lazy as _

from hamkke.cases.closure import GoalResult
from hamkke.cases.models import CaseType, ClosureReason, CrisisLevel
from hamkke.core.forms import Form


class ClassificationForm(Form):
    """사례 구분·선정: the case type and crisis level decided after the case conference."""

    case_type = forms.ModelChoiceField(
        label=_("사례 구분"), queryset=CaseType.objects.none(), empty_label=_("선택하세요")
    )
    crisis_level = forms.ChoiceField(label=_("위기도"), choices=[("", _("선택하세요"))] + CrisisLevel.choices)
    note = forms.CharField(
        label=_("결정 근거·메모"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("사례회의에서 논의한 내용 등, 결재자가 알아야 할 근거를 적습니다."),
    )

    def __init__(self, *args, case_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = case_types


class ClosureForm(Form):
    """종결: reason, overall evaluation, and one evaluation per goal of the plan in force."""

    closure_reason = forms.ChoiceField(label=_("종결 사유"), choices=[("", _("선택하세요"))] + ClosureReason.choices)
    evaluation = forms.CharField(
        label=_("종합 평가"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("당사자가 이룬 것, 남은 과제, 당사자의 소감을 적습니다."),
    )

    def __init__(self, *args, goals=(), case_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        if case_types is not None:  # the district requires a case type on closure and the case has none
            self.fields["case_type"] = forms.ModelChoiceField(
                label=_("사례 구분"),
                queryset=case_types,
                empty_label=_("선택하세요"),
                help_text=_("이 시군구는 사례 구분 없이 종결하지 않습니다."),
            )
            self.fields["crisis_level"] = forms.ChoiceField(
                label=_("위기도"), choices=[("", _("선택하세요"))] + CrisisLevel.choices
            )
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("목표: %(goal)s") % {"goal": goal.description},
                choices=[("", _("선택하세요"))] + GoalResult.choices,
            )
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label=_("평가 메모"),
                required=False,
                max_length=500,
            )

    def goal_evaluations(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            goal.pk: {"result": data.get(f"goal_{goal.pk}", ""), "note": data.get(f"goal_{goal.pk}_note", "")}
            for goal in self.goals
        }


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("재개 사유"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("사례는 접수 단계부터 이어지며, 이전 기록은 그대로 남습니다."),
    )


class DecisionForm(Form):
    """결재: approve, or return with a comment. The decision comes from the button pressed."""

    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("결정"), choices=[(APPROVE, _("승인")), (RETURN, _("반려"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("결재 의견"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("반려할 때는 의견이 필요합니다. 요청자에게 보입니다."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class RecallForm(Form):
    """회수: the submitter takes a pending request back (a reason is optional)."""

    reason = forms.CharField(label=_("회수 사유"), required=False, max_length=2000)
