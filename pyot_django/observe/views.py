"""``metrics_view``: the Prometheus exposition of this process, or of all of them.

Protected like the admin: a staff user with ``pyot_django.view_pipeline`` — or,
when ``PYOT_OBSERVE["METRICS_TOKEN"]`` is set, a request carrying
``Authorization: Bearer <token>`` (what a Prometheus scrape job sends; the
session check still works for people). Under ``PROMETHEUS_MULTIPROC_DIR`` the
answer aggregates every process's files (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from .conf import read_config

__all__ = ["metrics_view"]


def _allowed(request: HttpRequest) -> bool:
    token = read_config().metrics_token
    if token:
        sent = request.headers.get("Authorization", "")
        scheme, _, value = sent.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode()):
            return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm("pyot_django.view_pipeline"))


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        response = HttpResponse(
            "Forbidden: staff with pyot_django.view_pipeline, or the metrics bearer token.\n",
            status=403,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = 'Bearer realm="pyot metrics"'
        return response
    try:
        from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
    except ImportError:
        return HttpResponse(
            "prometheus_client is not installed: pip install 'pyot_django[metrics]'\n",
            status=501,
            content_type="text/plain",
        )

    from .events import subscribers
    from .metrics import flush_metrics

    subscribers()  # the metric families exist (at zero) even before the first lookup
    flush_metrics()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        # Unannotated in prometheus_client: registers itself with the registry it is given.
        collect_from_files: Callable[[CollectorRegistry], object] = multiprocess.MultiProcessCollector
        collect_from_files(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
