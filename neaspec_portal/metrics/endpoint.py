"""``/metrics`` for Prometheus, and the latency of every other request.

The endpoint is answered by a middleware near the top, before host validation and the
HTTPS redirect: Prometheus scrapes each web replica at its own address over the stack's
network (``http://10.0.3.7:8000/metrics``), which ``ALLOWED_HOSTS`` does not and should not
name. It answers only

- a direct request from ``METRICS_ALLOWED_IPS`` (default: this machine): a request relayed
  by a proxy (it carries ``X-Forwarded-For``) never counts as direct, since the proxy's own
  address may sit in the allowed network; or
- a request with ``Authorization: Bearer <METRICS_TOKEN>``, when that setting is set.

Anyone else goes on to the URLs, where no ``/metrics`` exists: the portal's own 404, the
same as for any missing page. nginx also answers 404 for ``/metrics`` (deploy/nginx.conf).
"""

import hmac
import time
from collections.abc import Callable
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from neaspec_portal.metrics.collectors import scrape_registry
from neaspec_portal.metrics.instruments import REQUEST_LATENCY, recorded_registry

PATH = "/metrics"


def metrics_allowed(request: HttpRequest) -> bool:
    """Return whether ``request`` may read the metrics (see the module's docstring)."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        peer = ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in settings.METRICS_ALLOWED_IPS)


def metrics_text() -> bytes:
    """Return the exposition of every metric: recorded ones, then those asked now."""
    return generate_latest(recorded_registry()) + generate_latest(scrape_registry())


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    # URL names, not paths: a label per dataset id would grow without end.
    return (match.view_name or match._func_path) if match is not None else "unmatched"


class MetricsMiddleware:
    """Answer ``/metrics``; time every other request by URL name, method and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == PATH and metrics_allowed(request):
            return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
        # Anyone else goes on to the URLs, which have no /metrics: the portal's own 404.
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_LATENCY.labels(
            view=_view_name(request), method=request.method, status=response.status_code
        ).observe(time.perf_counter() - started)
        return response
