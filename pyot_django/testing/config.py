"""The emulator's run configuration: rate limits, faults, accepted keys.

Everything here can be changed while the emulator runs (``Emulator.configure`` or
``POST /_emulator/config`` with the same names in JSON), so other processes such as
benchmarks and Celery workers can steer one shared emulator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULT_APP_LIMITS",
    "DEFAULT_METHOD_LIMITS",
    "EmulatorConfig",
    "Limits",
    "format_limits",
    "parse_limits",
]

# ((limit, seconds), ...): Riot's "20:1,100:120" in Python form.
Limits = tuple[tuple[int, float], ...]

DEFAULT_APP_LIMITS: Limits = ((20, 1), (100, 120))  # Riot's development key
DEFAULT_METHOD_LIMITS: Limits = ((2000, 10),)


def parse_limits(value: str | Iterable[Iterable[float]]) -> Limits:
    """``"20:1,100:120"`` (or pairs) → ``((20, 1), (100, 120))``; seconds may be fractional."""
    if isinstance(value, str):
        pairs: Iterable[Iterable[float | str]] = (item.split(":") for item in value.split(",") if item.strip())
    else:
        pairs = value
    limits = []
    for pair in pairs:
        raw_limit, raw_seconds = pair
        limit, seconds = int(raw_limit), float(raw_seconds)
        if limit < 1 or seconds <= 0:
            raise ValueError(f"a rate limit is 'count:seconds' with both positive, got {limit}:{seconds}")
        limits.append((limit, int(seconds) if seconds.is_integer() else seconds))
    return tuple(limits)


def format_limits(limits: Limits) -> str:
    """Riot's header form: ``"20:1,100:120"``."""
    return ",".join(f"{limit}:{seconds:g}" for limit, seconds in limits)


@dataclass(frozen=True)
class EmulatorConfig:
    """How the emulator behaves; immutable, replaced as a whole on every change."""

    # None accepts any non-empty X-Riot-Token; otherwise only these keys (others get 403).
    api_keys: frozenset[str] | None = None
    # False: never answer 429 for app/method limits, but still count and send the headers.
    enforce_limits: bool = True
    # True (the default, like Riot): refuse what Riot refuses (testing/rules.py): routing values an
    # operation is not served on, RSO operations without a Bearer token, malformed ids and values.
    # False, the lenient mode (for suites built on made-up ids like "p-1"): any routing value of the
    # operation's kind and any id are served, RSO operations need only the X-Riot-Token.
    strict: bool = True
    app_limits: Limits = DEFAULT_APP_LIMITS
    method_limits: Limits = DEFAULT_METHOD_LIMITS  # for every operation not in method_limits_by_operation
    method_limits_by_operation: Mapping[str, Limits] = field(default_factory=dict)
    # Counts a scope's windows start with when the scope is first used (see ratelimits.py):
    # {"app": {"na1": [18, 95]}, "method": {"na1": {"summoner-v4.getByPUUID": [1990]}}}.
    preseed: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    latency: float | tuple[float, float] = 0.0  # seconds, fixed or uniform in (min, max)
    # One-way network delay each way (before counting, before answering), see wan.py.
    wan_delay: float | tuple[float, float] = 0.0
    # Random faults, each a probability per request (drawn from random.Random(seed)).
    error_rate: float = 0.0  # a 5xx chosen among error_statuses
    error_statuses: tuple[int, ...] = (500, 502, 503, 504)
    service_429_rate: float = 0.0
    service_429_retry_after: int | float | str | None = 1  # sent verbatim; None: a 429 without Retry-After
    service_429_type: str = "service"  # e.g. "unknownType" to mimic Riot's newer values
    timeout_rate: float = 0.0  # no answer until the client gives up (or timeout_cap)
    malformed_rate: float = 0.0  # 200 with a truncated JSON body
    reset_rate: float = 0.0  # connection closed without a complete response
    timeout_cap: float = 60.0
    seed: int = 0
    log_size: int = 10_000  # entries kept in the stats request log

    def replace(self, **changes: Any) -> EmulatorConfig:
        """A copy with ``changes`` applied; accepts JSON forms ("20:1,100:120", lists)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown emulator option(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{name: _coerce(name, value) for name, value in changes.items()})

    def limits_for(self, operation: str) -> Limits:
        return self.method_limits_by_operation.get(operation, self.method_limits)

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly form that ``replace`` accepts back (API keys are never shown)."""
        data = dataclasses.asdict(self)
        data["api_keys"] = None if self.api_keys is None else len(self.api_keys)
        data["app_limits"] = format_limits(self.app_limits)
        data["method_limits"] = format_limits(self.method_limits)
        data["method_limits_by_operation"] = {
            op: format_limits(limits) for op, limits in self.method_limits_by_operation.items()
        }
        return data


def _coerce(name: str, value: Any) -> Any:
    if name in ("app_limits", "method_limits"):
        return parse_limits(value)
    if name == "method_limits_by_operation":
        return {op: parse_limits(limits) for op, limits in dict(value or {}).items()}
    if name == "api_keys":
        return None if value is None else frozenset([value] if isinstance(value, str) else value)
    if name in ("latency", "wan_delay"):
        return tuple(float(v) for v in value) if isinstance(value, list | tuple) else float(value)
    if name == "error_statuses":
        return tuple(int(status) for status in value)
    if name in ("preseed",):
        return dict(value or {})
    return value
