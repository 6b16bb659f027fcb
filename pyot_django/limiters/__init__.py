"""Rate limiters for the RiotAPI store: in one process (memory) or shared (Redis).

See :mod:`pyot_django.limiters.base` for the contract and the options, and
:mod:`pyot_django.limiters.engine` for the window algorithm both implement.
``RedisLimiter`` is imported on first use so that ``redis`` stays an optional extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import PACINGS, Limiter, Slot, WaitTooLong, build_limiter
from .headers import Feedback, parse_pairs, parse_retry_after, read_feedback
from .memory import MemoryLimiter

if TYPE_CHECKING:
    from .redis import RedisLimiter

__all__ = [
    "PACINGS",
    "Feedback",
    "Limiter",
    "MemoryLimiter",
    "RedisLimiter",
    "Slot",
    "WaitTooLong",
    "build_limiter",
    "parse_pairs",
    "parse_retry_after",
    "read_feedback",
]


def __getattr__(name: str) -> Any:
    if name == "RedisLimiter":
        from .redis import RedisLimiter

        return RedisLimiter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
