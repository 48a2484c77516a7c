"""OpenAPI details drf-spectacular cannot guess: our authentication schemes and the JSON errors."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorMessageSerializer(serializers.Serializer):
    ko = serializers.CharField()
    en = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable code, the message in Korean and English, and per-field messages."""

    code = serializers.CharField()
    message = ErrorMessageSerializer()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


# Status codes any operation may answer besides its success; writes also 400 and 409.
READ_ERRORS = ("400", "401", "403", "404")
WRITE_ERRORS = READ_ERRORS + ("409",)


class HamkkeAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = READ_ERRORS if self.method == "GET" else WRITE_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "hamkke.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token hk_…` — /api/ 에서 만든 API 토큰 (an API token made on /api/)",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "hamkke.api.authentication.CsrfSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "로그인한 브라우저 세션 (쓰기에는 X-CSRFToken 필요)",
        }
