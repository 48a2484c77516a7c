"""Request keys for creating records exactly once (issue 11.8).

Forms carry a UUID in a hidden field (``core.forms.idempotency_key_field``); API clients send an
``Idempotency-Key`` header with any string of their own (the IETF draft leaves the format to the
client). Both become one UUID stored on the record, unique per district.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
_NAMESPACE = uuid.UUID("5b1f0c52-7d0e-4a4e-9d8c-2f6a3f1e9a10")  # Hamkke's own: header strings -> UUIDs


def key_from_header(value: str | None) -> uuid.UUID | None:
    """The stored key for a header value (None without the header); a bad value is a clear 400."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_LENGTH or not value.isascii() or not value.isprintable():
        raise ValidationError(
            {HEADER: _("Idempotency-Key 헤더는 1~255자의 영문·숫자·기호여야 합니다.")}, code="invalid"
        )
    return uuid.uuid5(_NAMESPACE, value)
