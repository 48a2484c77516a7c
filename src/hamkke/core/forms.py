import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .words import bare_label, object_particle

# Django's words for a missing value and an unreadable date (lazy, so compared by identity, in any
# language): replaced on every form of Hamkke.
GENERIC_REQUIRED = forms.Field.default_error_messages["required"]
GENERIC_DATE = forms.DateField.default_error_messages["invalid"]
GENERIC_DATETIME = forms.DateTimeField.default_error_messages["invalid"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def idempotency_key_field() -> forms.UUIDField:
    """A form's request key (issue 11.8): a fresh UUID in a hidden field each time a blank form is
    drawn, and the same one when the form is drawn again with its errors. The service creates at
    most one record per key, so a double tap or a resend after a lost answer creates nothing new."""
    return forms.UUIDField(
        required=False,
        initial=uuid.uuid4,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("요청 키가 올바르지 않습니다. 화면을 새로 열어 다시 입력하세요.")},
    )


def what_to_enter(field: forms.Field, label: str, hint: str = "") -> str:
    """The message for a missing value that says what to enter: "생년월일을 입력하세요 (예: 1953-08-14)",
    "성별을 고르세요"; ``hint`` (the form's, else an example date for a date) in parentheses."""
    label = bare_label(label)
    korean = (translation.get_language() or "ko").startswith("ko")
    words = {"label": label, "particle": object_particle(label) if korean else ""}
    if isinstance(field, forms.FileField):
        text = gettext("%(label)s%(particle)s 골라 올리세요") % words
    elif isinstance(field, forms.BooleanField):
        text = gettext("‘%(label)s’에 표시하세요") % words
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        text = gettext("%(label)s%(particle)s 고르세요") % words
    else:
        text = gettext("%(label)s%(particle)s 입력하세요") % words
    hint = hint or example_of(field)
    return f"{text} ({hint})" if hint else text


def example_of(field: forms.Field) -> str:
    """An example value for a date or a moment (today's, so that it is also a reminder of the format)."""
    today = timezone.localdate().isoformat()
    if isinstance(field, forms.DateTimeField):
        return gettext("예: %(date)s 14:30") % {"date": today}
    if isinstance(field, forms.DateField):
        return gettext("예: %(date)s") % {"date": today}
    return ""


class SaysWhatToEnter(forms.BaseForm if TYPE_CHECKING else object):
    """Every form of Hamkke (``Form``, ``ModelForm`` below): a missing value is reported with what
    to enter, derived from the field's label, instead of Django's "이 필드는 필수 항목입니다." (issue 13
    item 8). ``hints``: per field, what to add in parentheses (an example, what to do when unknown).

    Applied when the form is cleaned, so that fields added in ``__init__`` are covered too; a
    message a field sets itself is kept."""

    hints: ClassVar[Mapping[str, str]] = {}

    def full_clean(self):
        self.say_what_to_enter()
        super().full_clean()

    def say_what_to_enter(self) -> None:
        """Put the words on the fields (each form's own copies of them)."""
        for name, field in self.fields.items():
            label = str(field.label or pretty_name(name))
            messages = field.error_messages
            if messages.get("required") is GENERIC_REQUIRED:
                messages["required"] = what_to_enter(field, label, str(self.hints.get(name, "")))
            if messages.get("invalid") is GENERIC_DATETIME:
                text = gettext("올바른 일시가 아닙니다 — 연-월-일 시:분으로 입력하세요 (%(example)s)")
                messages["invalid"] = text % {"example": example_of(field)}
            elif messages.get("invalid") is GENERIC_DATE:
                text = gettext("올바른 날짜가 아닙니다 — 연-월-일로 입력하세요 (%(example)s)")
                messages["invalid"] = text % {"example": example_of(field)}


class Form(SaysWhatToEnter, forms.Form):
    pass


class ModelForm(SaysWhatToEnter, forms.ModelForm):
    pass


class RequestKeyForm(Form):
    """The request key of a page whose form is a formset (it cannot carry a field of its own)."""

    idempotency_key = idempotency_key_field()

    def key(self) -> uuid.UUID | None:
        return self.cleaned_data.get("idempotency_key") if self.is_valid() else None


def apply_service_errors(form: forms.Form, error: ValidationError, *, current_version: int | None = None) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top.

    After an edit conflict (core.locking) the form keeps what was typed and now carries the
    current version, so that saving again is a deliberate choice made after seeing the change.
    """
    if getattr(error, "code", None) == "conflict" and current_version is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix("expected_version")] = current_version
        form.data = data
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
