"""Machine endpoints: /healthz (alive), /readyz (ready to serve), /metrics (Prometheus, token only).

None of them needs a log-in (probes and scrapers have no session) and none of them shows personal data.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView

from . import health, metrics


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. Touches nothing else, so a database outage does not restart the app servers."""
    return JsonResponse({"status": "ok"})


@method_decorator(login_not_required, name="dispatch")
class ReadyView(HealthCheckView):
    """Ready: database reachable, migrations applied, broker reachable, disk not full. 503 otherwise.

    JSON unless the client asks for another format django-health-check knows (?format=text, openmetrics).
    """

    checks = health.READINESS

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # django-health-check's "a check failed": a load balancer wants 503
            response.status_code = 503
        return response

    def render_to_response(self, context, **response_kwargs):  # HTML asked for (a browser): JSON all the same
        return self.render_to_response_json(response_kwargs.get("status", 200))


ready = ReadyView.as_view()


def _token_ok(request: HttpRequest) -> bool:
    expected = settings.HAMKKE_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


@login_not_required
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, only with ``Authorization: Bearer $HAMKKE_METRICS_TOKEN`` (403 otherwise, and
    always 403 while no token is configured). Not "loopback only": behind nginx every request comes from
    127.0.0.1, so the address proves nothing."""
    if not _token_ok(request):
        return HttpResponse(
            "metrics need a bearer token (HAMKKE_METRICS_TOKEN)\n", status=403, content_type="text/plain"
        )
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)
