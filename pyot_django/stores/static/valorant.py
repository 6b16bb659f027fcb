"""``ValorantContent``: VALORANT's content from valorant-api.com (agents, maps, weapons …).

Answers are valorant-api.com's ``{"status": 200, "data": …}`` as sent; ``language``
(``en-US``, ``ja-JP`` … or ``all``) is a query parameter.
"""

from __future__ import annotations

from .base import StaticStore

__all__ = ["ValorantContent"]


class ValorantContent(StaticStore):
    """valorant-api.com; options BASE_URL, TIMEOUT, ERROR_HANDLING, RATE_LIMITER, DEADLINE,
    MAX_RETRY_AFTER, MAX_RESPONSE_SIZE."""

    family = "valorant"
    DEFAULT_BASE_URL = "https://valorant-api.com"
