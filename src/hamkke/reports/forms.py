"""Forms of the reports app: the period selector, the export reason, the case story."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import DISTRICT_WIDE, may
from hamkke.accounts.actor import Actor
from hamkke.core.forms import DateInput, Form

from .periods import CUSTOM, MONTH, QUARTER, YEAR, Period, current_year
from .selectors import report_agencies

MAX_CUSTOM_DAYS = 366 * 10
YEARS = (2000, 2100)


class PeriodForm(Form):
    """Period (year, quarter, month, custom) and, for district admins, the agencies to count."""

    period = forms.ChoiceField(
        label=_("기간 단위"),
        initial=YEAR,
        choices=[(YEAR, _("연간")), (QUARTER, _("분기")), (MONTH, _("월간")), (CUSTOM, _("직접 지정"))],
    )
    year = forms.IntegerField(label=_("연도"), min_value=YEARS[0], max_value=YEARS[1], required=False)
    quarter = forms.TypedChoiceField(
        label=_("분기"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "-")] + [(q, _("%(q)s분기") % {"q": q}) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("월"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "-")] + [(m, _("%(m)s월") % {"m": m}) for m in range(1, 13)],
    )
    start = forms.DateField(label=_("시작일"), required=False, widget=DateInput())
    end = forms.DateField(label=_("종료일"), required=False, widget=DateInput())
    agencies = forms.ModelMultipleChoiceField(
        label=_("기관(비우면 시군구 전체)"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, data=None, *, actor: Actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if may(actor, DISTRICT_WIDE):
            self.fields["agencies"].queryset = report_agencies(actor=actor)
        else:
            del self.fields["agencies"]

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if kind is None:
            return data
        if kind in (YEAR, QUARTER, MONTH) and year is None:
            self.add_error("year", _("연도를 입력하세요."))
        elif kind == QUARTER and not data.get("quarter"):
            self.add_error("quarter", _("분기를 고르세요."))
        elif kind == MONTH and not data.get("month"):
            self.add_error("month", _("월을 고르세요."))
        elif kind == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                self.add_error("start" if start is None else "end", _("시작일과 종료일을 모두 입력하세요."))
            elif end < start:
                self.add_error("end", _("종료일은 시작일 이후여야 합니다."))
            elif (end - start).days > MAX_CUSTOM_DAYS:
                self.add_error("end", _("기간은 10년 이내로 지정하세요."))
            elif not (YEARS[0] <= start.year and end.year <= YEARS[1]):
                self.add_error("start", _("2000년부터 2100년 사이로 지정하세요."))
        return data

    @property
    def chosen_period(self) -> Period:
        """The chosen period; the current year when nothing (or nothing valid) was chosen."""
        if not self.is_bound or not self.is_valid():
            return current_year()
        data = self.cleaned_data
        kind = data["period"]
        if kind == YEAR:
            return Period.of_year(data["year"])
        if kind == QUARTER:
            return Period.of_quarter(data["year"], data["quarter"])
        if kind == MONTH:
            return Period.of_month(data["year"], data["month"])
        return Period.custom(data["start"], data["end"])

    @property
    def agency_ids(self) -> list[int]:
        if not self.is_bound or not self.is_valid() or "agencies" not in self.cleaned_data:
            return []
        return [agency.pk for agency in self.cleaned_data["agencies"]]

    def query(self) -> dict:
        """GET parameters for links that keep the selection (exports, the figures page)."""
        params = self.chosen_period.query()
        if self.agency_ids:
            params["agencies"] = [str(pk) for pk in self.agency_ids]
        return params


class ServiceExportForm(PeriodForm):
    """Raw service records (personal data): the reason is required and kept in the access log."""

    reason = forms.CharField(
        label=_("내려받는 이유"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("접속기록에 남습니다. 예: 2024년 하반기 서비스 실적 점검(구청 제출)"),
    )
    file_format = forms.ChoiceField(
        label=_("형식"), choices=[("csv", "CSV"), ("xlsx", _("엑셀(xlsx)"))], required=False, initial="csv"
    )

    def selection(self) -> dict:
        """What the export services take from this form (the direct download and the background job)."""
        return {
            "period": self.chosen_period,
            "agency_ids": self.agency_ids,
            "file_format": self.cleaned_data["file_format"] or "csv",
            "reason": self.cleaned_data["reason"],
        }


class StoryCaseForm(Form):
    case = forms.ModelChoiceField(label=_("사례"), queryset=None, empty_label=_("사례를 고르세요"))

    def __init__(self, data=None, *, cases, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].to_field_name = "uuid"
        self.fields["case"].label_from_instance = lambda c: (
            f"{c.reference} · {c.household} · {c.get_stage_display()} · {c.opened_on:%Y-%m-%d}"
        )


class StoryEditForm(Form):
    title = forms.CharField(label=_("제목"), max_length=200)
    text = forms.CharField(
        label=_("이야기"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("저장하면 같은 규칙으로 다시 익명 처리하고, 팀장 승인을 다시 받습니다."),
    )


class StoryDecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("검토"), widget=forms.RadioSelect, choices=[("approve", _("승인")), ("return", _("반려"))]
    )
    comment = forms.CharField(label=_("검토 의견"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
