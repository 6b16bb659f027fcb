"""A django-health-check (4.x) check: every pipeline store and limiter can be reached.

::

    # urls.py
    from health_check.views import HealthCheckView

    path("health/", HealthCheckView.as_view(checks=[
        "health_check.checks.Database",
        "pyot_django.observe.healthcheck.PyotStores",
        ("pyot_django.observe.healthcheck.PyotStores", {"pipeline": "lol"}),
    ]))

It reports "Unavailable: …" naming each unreachable store within ``timeout`` (default
3 s per probe, all probes at once). django-health-check 3.x (``BaseHealthCheckBackend``)
is not supported: its plug-in API is gone in 4.x.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime
from typing import TYPE_CHECKING

from .probe import probe_pipelines

if TYPE_CHECKING:
    # django-health-check ships no ``py.typed``: a type checker would see only ``Any`` and report
    # the import in every project that checks this package. What this module uses of its 4.x API:
    class HealthCheck(abc.ABC):
        timeout: datetime.timedelta

        @abc.abstractmethod
        async def run(self) -> None: ...

    class ServiceUnavailable(Exception): ...

else:
    from health_check.base import HealthCheck
    from health_check.exceptions import ServiceUnavailable

__all__ = ["PyotStores"]


@dataclasses.dataclass
class PyotStores(HealthCheck):
    """``pipeline``: one pipeline's stores (default: every configured pipeline)."""

    pipeline: str | None = None
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    async def run(self) -> None:
        from ..exceptions import PyotError

        try:
            results = await probe_pipelines([self.pipeline] if self.pipeline else None, self.timeout.total_seconds())
        except (PyotError, KeyError) as exc:
            raise ServiceUnavailable(f"pipelines cannot be built: {exc}") from exc
        failed = [result for result in results if not result.ok]
        if failed:
            raise ServiceUnavailable("; ".join(str(result) for result in failed))
