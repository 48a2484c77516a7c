from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import DISTRICT_WIDE, may
from hamkke.accounts.models import Role, User
from hamkke.core.forms import DateInput, Form
from hamkke.core.widgets import Picker
from hamkke.districts.models import Agency

from . import selectors
from .models import Conference
from .services import conference_date

BAD_DATETIME = _("올바른 날짜와 시각을 입력하세요 (예: 2026-03-10 14:00).")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _membership_rows(memberships) -> list[tuple[str, str, int]]:
    """(user id, name · role, agency id) of each membership (a plain worker: the name alone)."""
    return [
        (str(m.user_id), f"{m.user} · {m.get_role_display()}" if m.role != Role.WORKER else str(m.user), m.agency_id)
        for m in memberships
    ]


def _membership_choices(memberships) -> list:
    """Workers grouped by agency: [(agency name, [(user id, name · role), ...]), ...]."""
    groups: dict[str, list] = {}
    for m, (user_id, label, _agency_id) in zip(memberships, _membership_rows(memberships), strict=True):
        groups.setdefault(m.agency.name, []).append((user_id, label))
    return list(groups.items())


def _users(ids) -> list[User]:
    return list(User.objects.filter(pk__in=[int(i) for i in ids]))


class ConferenceFilterForm(Form):
    kind = forms.ChoiceField(label=_("구분"), choices=[("", _("전체"))] + Conference.Kind.choices, required=False)

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


@dataclass
class AttendeeGroup:
    """One taking-part agency of the schedule form, with its workers as attendee checkboxes."""

    agency: Agency
    is_host: bool
    people: list[tuple[str, str, bool]]  # (user id, name · role, ticked)


class ConferenceScheduleForm(Form):
    """사례회의·워크숍 일정. Attendees are chosen by agency, then person: the agency picker adds an
    agency, and each agency taking part (the host always) lists its workers to tick."""

    kind = forms.ChoiceField(label=_("구분"), choices=Conference.Kind.choices)
    title = forms.CharField(
        label=_("회의명"),
        max_length=200,
        help_text=_("회의명은 참여 기관 모두에게 보입니다. 당사자 이름을 쓰지 마세요."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("일시"), widget=DateTimeInput(), error_messages={"invalid": BAD_DATETIME}
    )
    place = forms.CharField(label=_("장소"), max_length=200, required=False)
    agency_pick = forms.ModelChoiceField(
        label=_("참여 기관 추가"),
        queryset=None,
        to_field_name="uuid",
        required=False,
        empty_label=_("선택하세요"),  # never drawn (a searchable picker), but no "---------" anywhere
        help_text=_("기관 이름을 두 글자 이상 입력해 고르면 그 기관의 담당자가 아래에 나옵니다."),
        error_messages={"invalid_choice": _("고를 수 없는 기관입니다.")},
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("참여 기관"),
        queryset=None,
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("같은 시군구의 기관만 고를 수 있습니다. 주최 기관은 항상 포함됩니다."),
        error_messages={
            "invalid_choice": _("고를 수 없는 기관입니다."),
            "invalid_pk_value": _("고를 수 없는 기관입니다."),
        },
    )
    attendees = forms.MultipleChoiceField(
        label=_("참석 담당자"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("기관별로 참석하는 담당자를 고르세요. 기관을 빼면 그 기관의 담당자도 빠집니다."),
        error_messages={"invalid_choice": _("참석 담당자는 고른 참여 기관 소속이어야 합니다.")},
    )
    other_attendees = forms.CharField(
        label=_("기타 참석자"),
        max_length=300,
        required=False,
        help_text=_("계정이 없는 참석자 (예: 당사자, 가족, 자원봉사자, 민관 담당자 60명)."),
    )

    def __init__(self, *args, actor, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.case = case
        if may(actor, DISTRICT_WIDE):  # the district hosts workshops only
            self.fields["kind"].choices = [(Conference.Kind.WORKSHOP, Conference.Kind.WORKSHOP.label)]
        elif case is not None:  # a case goes to a case conference
            self.fields["kind"].choices = [(Conference.Kind.CASE_CONFERENCE, Conference.Kind.CASE_CONFERENCE.label)]
        agencies = selectors.agencies_for_scheduling(actor=actor)
        self.fields["agencies"].queryset = agencies
        self.fields["agency_pick"].queryset = agencies
        self.fields["agency_pick"].widget = Picker(url=reverse("conferences:pick_agency"))
        self.agency_options = {a.uuid: a for a in agencies}
        self.memberships = selectors.attendee_memberships(
            district_id=actor.district_id, agency_ids=[a.pk for a in self.chosen_agencies()]
        )
        self.fields["attendees"].choices = _membership_choices(self.memberships)

    @classmethod
    def refreshed(cls, data, *, actor, case=None) -> ConferenceScheduleForm:
        """An unbound form holding what was typed: to redraw the attendees without saving or errors.
        The agency just picked joins the ticked ones, and the picker is empty again for the next."""
        typed = cls(data, actor=actor, case=case)
        initial = {name: typed[name].data for name in typed.fields}
        initial["agencies"] = [str(a.uuid) for a in typed.chosen_agencies()]
        initial["agency_pick"] = None
        return cls(actor=actor, case=case, initial=initial)

    def _uuids(self, name: str) -> list[uuid_lib.UUID]:
        if self.is_bound:
            values = self[name].data
        else:
            values = self.initial.get(name)
        if not isinstance(values, list | tuple):
            values = [values]
        found = []
        for value in values:
            try:
                found.append(uuid_lib.UUID(str(value)))
            except ValueError:
                continue
        return found

    def chosen_agencies(self) -> list[Agency]:
        """The host, then the agencies ticked or just picked (of the district, active), by name."""
        chosen = set(self._uuids("agencies")) | set(self._uuids("agency_pick"))
        agencies = [a for a in self.agency_options.values() if a.uuid in chosen or a.pk == self.actor.agency_id]
        return sorted(agencies, key=lambda a: (a.pk != self.actor.agency_id, a.name))

    def attendee_groups(self) -> list[AttendeeGroup]:
        ticked = {str(v) for v in (self["attendees"].value() or [])}
        by_agency: dict[int, list[tuple[str, str, bool]]] = {}
        for user_id, label, agency_id in _membership_rows(self.memberships):
            by_agency.setdefault(agency_id, []).append((user_id, label, user_id in ticked))
        return [
            AttendeeGroup(agency=a, is_host=a.pk == self.actor.agency_id, people=by_agency.get(a.pk, []))
            for a in self.chosen_agencies()
        ]

    def clean_attendees(self) -> list[User]:
        return _users(self.cleaned_data["attendees"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("kind", "title", "scheduled_at", "place", "attendees", "other_attendees")
        agencies = list(data["agencies"])
        if data.get("agency_pick") is not None and data["agency_pick"] not in agencies:
            agencies.append(data["agency_pick"])
        return {key: data[key] for key in keys} | {"agencies": agencies, "case": self.case}


class _CaseChoiceForm(Form):
    """A form with a ``case`` choice among given cases, offered by public id and head-of-household name."""

    def _set_cases(self, cases, *, required: bool) -> None:
        self.cases = {str(c.uuid): c for c in cases}
        empty = [("", _("선택하세요") if required else _("사례와 무관"))]
        self.fields["case"].choices = empty + [(key, selectors.case_label(c)) for key, c in self.cases.items()]
        self.fields["case"].required = required

    def clean_case(self):
        value = self.cleaned_data.get("case")
        return self.cases.get(value) if value else None


class CaseAddForm(_CaseChoiceForm):
    case = forms.ChoiceField(label=_("사례"), error_messages={"invalid_choice": _("고를 수 없는 사례입니다.")})
    discussion = forms.CharField(
        label=_("논의 내용"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("이 사례를 열람할 수 있는 참석자에게만 보입니다."),
    )

    def __init__(self, *args, cases, **kwargs):
        kwargs.setdefault("auto_id", "case-add-%s")
        super().__init__(*args, **kwargs)
        self._set_cases(cases, required=True)


class DiscussionForm(Form):
    discussion = forms.CharField(
        label=_("논의 내용"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MinutesForm(Form):
    status = forms.ChoiceField(
        label=_("상태"),
        choices=[
            (Conference.Status.HELD, Conference.Status.HELD.label),
            (Conference.Status.SCHEDULED, Conference.Status.SCHEDULED.label),
        ],
    )
    minutes = forms.CharField(
        label=_("회의록"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("회의록은 모든 참여 기관에 보입니다. 사례별 내용은 각 사례의 논의 내용에 적으세요."),
    )
    person_attended = forms.BooleanField(label=_("당사자 참석"), required=False)
    family_attended = forms.BooleanField(label=_("가족 참석"), required=False)

    def __init__(self, *args, conference: Conference, **kwargs):
        kwargs.setdefault("auto_id", "minutes-%s")
        held = conference.status == Conference.Status.HELD or conference_date(conference) <= timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "status": Conference.Status.HELD if held else Conference.Status.SCHEDULED,
                "minutes": conference.minutes,
                "person_attended": conference.person_attended,
                "family_attended": conference.family_attended,
            },
        )
        super().__init__(*args, **kwargs)
        if conference.kind == Conference.Kind.WORKSHOP:
            del self.fields["person_attended"], self.fields["family_attended"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "minutes": data["minutes"],
            "person_attended": data.get("person_attended", False),
            "family_attended": data.get("family_attended", False),
        }


class DecisionForm(_CaseChoiceForm):
    """결정 사항 → 과제: what was decided, for whom, by when (and about which discussed case)."""

    decision = forms.CharField(label=_("결정 사항"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.ChoiceField(
        label=_("담당자"), error_messages={"invalid_choice": _("담당자는 회의 참여 기관의 사례관리 담당자여야 합니다.")}
    )
    due_on = forms.DateField(
        label=_("기한"), widget=DateInput(), error_messages={"invalid": _("올바른 날짜를 입력하세요.")}
    )
    case = forms.ChoiceField(
        label=_("관련 사례"),
        required=False,
        error_messages={"invalid_choice": _("이 회의에서 논의한 사례만 연결할 수 있습니다.")},
    )
    add_to_team = forms.BooleanField(
        label=_("사례 팀에 추가"),
        required=False,
        help_text=_("담당자의 기관이 사례 팀에 없으면, 정보제공 동의에 있는 경우 팀에 넣고 과제를 맡깁니다."),
    )

    def __init__(self, *args, conference: Conference, agency_ids, cases, **kwargs):
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("선택하세요"))] + _membership_choices(
            selectors.attendee_memberships(
                district_id=conference.district_id, agency_ids=agency_ids, case_workers_only=True
            )
        )
        if conference.kind == Conference.Kind.WORKSHOP:
            del self.fields["case"]
            del self.fields["add_to_team"]
        else:
            self._set_cases(cases, required=False)

    def clean_assignee(self) -> User | None:
        users = _users([self.cleaned_data["assignee"]])
        return users[0] if users else None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "assignee": data["assignee"],
            "due_on": data["due_on"],
            "case": data.get("case"),
            "add_to_team": data.get("add_to_team", False),
        }


class TaskCompleteForm(Form):
    note = forms.CharField(
        label=_("완료 내용"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("무엇을 했는지 적으세요."),
    )


class TaskCancelForm(Form):
    reason = forms.CharField(label=_("취소 사유"), max_length=1000, required=False)
