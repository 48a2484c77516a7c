import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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


class RequestKeyForm(forms.Form):
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
