"""The model's own validation, run by the write services before they save (issue 12 item 2).

Lengths live on the model fields: a ``CharField``'s ``max_length``, a ``TextField``'s ``max_chars``
validator (Django checks no ``max_length`` on a model ``TextField``). A service builds the row, then
``clean_fields(row, ["description", ...])`` runs ``full_clean()`` over the values it took from its
input and raises one ``ValidationError`` keyed by field, merged with the service's own rule errors, so
forms (``core.forms.apply_service_errors``) and the API show it on the field. Too long says the same
thing everywhere: the limit and how long the text is now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

TOO_LONG = _("%(limit_value)s자 이내로 줄여 적으세요(지금 %(show_value)s자).")


def max_chars(limit: int) -> MaxLengthValidator:
    """A text field's length limit, with Hamkke's message."""
    return MaxLengthValidator(limit, message=TOO_LONG)


def _worded(error: ValidationError) -> ValidationError:
    if error.code == "max_length":  # a CharField's own validator speaks Django's words
        return ValidationError(TOO_LONG, code="max_length", params=error.params)
    return error


def clean_fields(
    row: models.Model,
    fields: Iterable[str],
    *,
    errors: Mapping[str, object] | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """``row.full_clean()`` over ``fields`` only, joined to the service's ``errors``; raises if any.

    The other fields were set by the service itself (foreign keys it checked, which ``full_clean``
    would read again, one query each); constraints are left to the database. A field the service
    already has an error for keeps the service's message. ``names`` maps a model field to the input's
    name where they differ (a recall's ``reason`` is kept as the request's ``comment``).
    """
    wanted = set(fields)
    found: dict[str, object] = dict(errors or {})
    try:
        row.full_clean(
            exclude=[field.name for field in row._meta.fields if field.name not in wanted],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, field_errors in error.error_dict.items():
            found.setdefault((names or {}).get(name, name), [_worded(e) for e in field_errors])
    if found:
        raise ValidationError(found)
