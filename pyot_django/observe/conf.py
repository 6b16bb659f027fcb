"""``settings.PYOT_OBSERVE``: what the observability subscribers do (read lazily, re-read on change).

::

    PYOT_OBSERVE = {
        "METRICS": True,            # Prometheus metrics (default: on when prometheus_client is installed)
        "METRICS_TOKEN": None,      # a bearer token for the metrics view; None: staff with view_pipeline
        "FLEET": "auto",            # fleet counters in Redis: "auto" (a django-redis alias of a DjangoCache
                                    # store, else a RedisLimiter's LOCATION), a redis:// URL, or False
        "FLEET_FLUSH_SECONDS": 5,   # how often each process adds its counters to Redis
        "FLEET_KEY_PREFIX": "pyot:fleet",
        "LOG_LOOKUPS": False,       # one DEBUG line per lookup on the "pyot_django.lookups" logger
    }

A separate setting (not a key of ``PYOT``) because every key of ``PYOT`` is a pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["ObserveConfig", "read_config"]

_KEYS = {"METRICS", "METRICS_TOKEN", "FLEET", "FLEET_FLUSH_SECONDS", "FLEET_KEY_PREFIX", "LOG_LOOKUPS"}


@dataclass(frozen=True)
class ObserveConfig:
    metrics: bool
    metrics_token: str | None
    fleet: str | bool  # "auto", a redis URL, or False
    flush_seconds: float
    key_prefix: str
    log_lookups: bool


def _prometheus_installed() -> bool:
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        return False
    return True


def _fail(key: str, problem: str, hint: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"PYOT_OBSERVE[{key!r}] {problem}. {hint}")


def read_config() -> ObserveConfig:
    """The validated setting; ``ImproperlyConfigured`` names the key at fault."""
    raw: Any = getattr(settings, "PYOT_OBSERVE", {})
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"PYOT_OBSERVE must be a dict, not {type(raw).__name__}.")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ImproperlyConfigured(
            f"PYOT_OBSERVE: unknown key(s) {', '.join(map(str, unknown))}; valid: {', '.join(sorted(_KEYS))}."
        )
    metrics = raw.get("METRICS", None)
    if metrics is None:
        metrics = _prometheus_installed()
    elif metrics and not _prometheus_installed():
        raise _fail("METRICS", "is on but prometheus_client is not installed", "pip install 'pyot_django[metrics]'")
    token = raw.get("METRICS_TOKEN")
    if token is not None and (not isinstance(token, str) or len(token) < 16):
        raise _fail("METRICS_TOKEN", "must be a string of at least 16 characters", "Read it from the environment.")
    fleet = raw.get("FLEET", "auto")
    if fleet is True:
        fleet = "auto"
    if not (
        fleet is False
        or fleet == "auto"
        or (isinstance(fleet, str) and fleet.startswith(("redis://", "rediss://", "unix://")))
    ):
        raise _fail(
            "FLEET", f"must be 'auto', a redis:// URL or False, not {fleet!r}", "e.g. 'redis://127.0.0.1:6379/4'"
        )
    flush = raw.get("FLEET_FLUSH_SECONDS", 5)
    if isinstance(flush, bool) or not isinstance(flush, int | float) or not 0.05 <= flush <= 60:
        raise _fail("FLEET_FLUSH_SECONDS", f"must be seconds between 0.05 and 60, not {flush!r}", "e.g. 5")
    prefix = raw.get("FLEET_KEY_PREFIX", "pyot:fleet")
    if not isinstance(prefix, str) or not prefix or any(c.isspace() for c in prefix):
        raise _fail(
            "FLEET_KEY_PREFIX", f"must be a non-empty string without spaces, not {prefix!r}", "e.g. 'pyot:fleet'"
        )
    return ObserveConfig(
        metrics=bool(metrics),
        metrics_token=token,
        fleet=fleet,
        flush_seconds=float(flush),
        key_prefix=prefix,
        log_lookups=bool(raw.get("LOG_LOOKUPS", False)),
    )
