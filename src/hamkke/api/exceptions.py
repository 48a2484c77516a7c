"""JSON errors: ``{"code": "...", "message": {"ko": "...", "en": "..."}, "fields": {...}}``.

Never a traceback, never personal data: services' messages (Korean, as shown on the forms) go
into ``message.ko`` and ``fields``; ``message.en`` is the fixed English text of the code.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"

# code -> (Korean, English). The Korean is shown unless a service said something more precise.
MESSAGES = {
    "invalid": (_("입력값을 확인하세요."), "Check the input."),
    "parse_error": (
        _("요청 본문을 읽을 수 없습니다. JSON으로 보내세요."),
        "The request body could not be read; send JSON.",
    ),
    "not_authenticated": (_("로그인하거나 API 토큰을 보내세요."), "Log in or send an API token."),
    "authentication_failed": (
        _("API 토큰이 올바르지 않거나 폐기·만료되었습니다."),
        "The API token is invalid, revoked or expired.",
    ),
    "permission_denied": (_("이 작업을 할 권한이 없습니다."), "You may not do this."),
    "not_found": (_("찾을 수 없습니다."), "Not found."),
    "method_not_allowed": (_("이 주소에서는 이 방식의 요청을 받지 않습니다."), "Method not allowed."),
    "not_acceptable": (_("요청한 응답 형식을 제공하지 않습니다."), "Not acceptable."),
    "unsupported_media_type": (
        _("이 형식의 요청 본문은 받지 않습니다. JSON으로 보내세요."),
        "Unsupported media type; send JSON.",
    ),
    "throttled": (_("요청이 너무 많습니다. 잠시 뒤 다시 시도하세요."), "Too many requests; try again later."),
    "conflict": (_("다른 기록과 충돌합니다."), "Conflict with another record."),
    "precondition_required": (
        _("고치기 전에 본 판을 알려 주세요: If-Match 머리글(조회 응답의 ETag)이나 expected_version을 보내세요."),
        "Say which version you changed: send If-Match (the ETag of the GET) or expected_version.",
    ),
    "version_conflict": (
        _("다른 사용자가 먼저 이 기록을 바꿨습니다. 다시 조회해 바뀐 내용을 확인한 뒤 보내세요."),
        "Someone changed this record first; fetch it again, check the change, then send.",
    ),
    "server_error": (_("서버 오류가 났습니다. 잠시 뒤 다시 시도하세요."), "Server error; try again later."),
}


class PreconditionRequired(exceptions.APIException):
    """428: a write to a versioned record without If-Match or expected_version."""

    status_code = 428
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """412: the record changed since the version the client sent (or its If-Match is unreadable)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "version_conflict"


CODE_BY_CLASS = [
    (exceptions.ValidationError, "invalid"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
    (PreconditionRequired, "precondition_required"),
    (PreconditionFailed, "version_conflict"),
]


class Conflict(exceptions.APIException):
    """409 with a payload, e.g. the persons who may already be the one being registered."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, *, code: str, message: str, english: str, extra: dict | None = None):
        super().__init__(detail=message, code=code)
        self.hamkke_code, self.english, self.extra = code, english, extra or {}


def error_body(code: str, *, message: str | None = None, english: str | None = None, fields=None) -> dict:
    korean, default_english = MESSAGES.get(code, MESSAGES["invalid"])
    with translation.override("ko"):
        korean = str(korean)
    return {
        "code": code,
        "message": {"ko": str(message or korean), "en": english or default_english},
        "fields": fields or {},
    }


def _flat(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flat(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flat(value)]
    return [str(detail)]


def _fields(detail) -> dict:
    """DRF or Django error details as {field: [messages]} (nested serializers: "head.name")."""
    if isinstance(detail, dict):
        fields = {}
        for name, value in detail.items():
            key = NON_FIELD if name in ("__all__", None) else str(name)
            if isinstance(value, dict):
                fields.update({f"{key}.{sub}": messages for sub, messages in _fields(value).items()})
            else:
                fields[key] = _flat(value)
        return fields
    return {NON_FIELD: _flat(detail)}


def _django_validation_fields(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return _fields({name: [m for e in errors for m in e.messages] for name, errors in error.error_dict.items()})
    return {NON_FIELD: list(error.messages)}


def exception_handler(exc, context):
    headers = {}
    if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) == "conflict":
        status_code, body = 412, error_body("version_conflict")  # core.locking.check_version
    elif isinstance(exc, DjangoValidationError):
        status_code, body = 400, error_body("invalid", fields=_django_validation_fields(exc))
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        status_code, body = 404, error_body("not_found")
    elif isinstance(exc, DjangoPermissionDenied):
        status_code, body = 403, error_body("permission_denied", message=(exc.args[0] if exc.args else None))
    elif isinstance(exc, Conflict):
        status_code = exc.status_code
        body = error_body(exc.hamkke_code, message=str(exc.detail), english=exc.english) | exc.extra
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        code = next((c for cls, c in CODE_BY_CLASS if isinstance(exc, cls)), "invalid")
        if code == "invalid":
            body = error_body(code, fields=_fields(exc.detail))
        else:
            # Our own messages only: DRF's default texts are English and may echo the request.
            body = error_body(code)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        logger.exception("API error in %s", context.get("view").__class__.__name__)
        status_code, body = 500, error_body("server_error")
    set_rollback()
    return Response(body, status=status_code, headers=headers)
