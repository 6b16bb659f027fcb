"""One structured DEBUG line per lookup (``PYOT_OBSERVE["LOG_LOOKUPS"] = True``).

Logger ``pyot_django.lookups``. The fields travel as ``extra`` attributes on the
record, so JSON formatters (python-json-logger, structlog's stdlib bridge) emit
them as keys: ``pipeline``, ``operation``, ``server``, ``key``, ``store``,
``store_index``, ``outcome``, ``duration_ms``, ``shared``. The same names are used
by the 429 / outage / fallback warnings of the RiotAPI store, the pipeline's store
health and the RedisLimiter. The key is the token's cache key: it names the
operation and parameters (a PUUID, a match id), never the API key.
"""

from __future__ import annotations

import logging

from .events import Subscriber

__all__ = ["LookupLogger"]

logger = logging.getLogger("pyot_django.lookups")


class LookupLogger(Subscriber):
    def lookup_done(
        self,
        pipeline: str,
        operation: str,
        server: str,
        key: str,
        store_index: int | None,
        store: str,
        outcome: str,
        seconds: float,
        shared: bool,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):  # the cheap way out when DEBUG is filtered
            return
        logger.debug(
            "%s %s %s: %s from %s in %.3f ms",
            pipeline,
            server,
            operation,
            outcome,
            store,
            seconds * 1000,
            extra={
                "pipeline": pipeline,
                "operation": operation,
                "server": server,
                "key": key,
                "store": store,
                "store_index": store_index,
                "outcome": outcome,
                "duration_ms": round(seconds * 1000, 3),
                "shared": shared,
            },
        )
