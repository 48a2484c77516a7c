"""Logging helpers: JSON lines with the request id (django-guid), no query values in server request lines."""

from __future__ import annotations

import logging
import re

from pythonjsonlogger import json as jsonlogger

from hamkke.core.paths import query_without_values

QUERY = re.compile(r"\?([^\s\"]*)")


def _redact(text: str) -> str:
    return QUERY.sub(lambda match: "?" + query_without_values(match.group(1)), text)


class RedactQueryString(logging.Filter):
    """runserver's request lines ("GET /people/search/?q=... HTTP/1.1") keep the query's parameter names
    and lose their values (``?q=``): a search for a person by name must not write the name into the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_redact(record.args[0]), *record.args[1:])
        if isinstance(record.msg, str) and "?" in record.msg and not record.args:
            record.msg = _redact(record.msg)
        return True


class JsonFormatter(jsonlogger.JsonFormatter):
    """python-json-logger's formatter, minus the attributes that would print a request.

    Django's request loggers pass ``extra={"request": request}``; its text form is the full path with
    the query string (``<WSGIRequest: GET '/people/search/?q=...'>``). The URL name is logged by
    RequestLogMiddleware instead.
    """

    DROPPED = ("request", "server_time")

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for name in self.DROPPED:
            log_record.pop(name, None)
