"""``MerakiCDN``: Meraki Analytics' champion and item data (latest patch, en-US only)."""

from __future__ import annotations

from .base import StaticStore

__all__ = ["MerakiCDN"]


class MerakiCDN(StaticStore):
    """Meraki Analytics' CDN; options BASE_URL, TIMEOUT, ERROR_HANDLING, RATE_LIMITER, DEADLINE,
    MAX_RETRY_AFTER, MAX_RESPONSE_SIZE."""

    family = "meraki"
    DEFAULT_BASE_URL = "https://cdn.merakianalytics.com/riot/lol/resources"
