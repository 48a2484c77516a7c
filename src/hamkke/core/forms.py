from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
