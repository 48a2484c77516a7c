"""One log line per request (view name, status, time; never the path or the query, which can carry a
search term or a name), at WARNING when slower than HAMKKE_SLOW_REQUEST_MS."""

from __future__ import annotations

import logging
import time

from django.conf import settings

logger = logging.getLogger("hamkke.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - start) * 1000
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        fields = {
            "view": match.view_name if match else "-",
            "method": request.method,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        }
        if duration_ms >= settings.HAMKKE_SLOW_REQUEST_MS:
            logger.warning("slow request", extra=fields)
        else:
            logger.info("request", extra=fields)
        return response
