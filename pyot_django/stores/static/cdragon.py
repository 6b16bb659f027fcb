"""``CDragon``: CommunityDragon's game data (``raw.communitydragon.org``).

CommunityDragon serves ``latest`` (and ``pbe``) itself, so ``version`` is sent as
given; ``locale`` is ``default`` (en_US) or a lower-case locale such as ``ko_kr``.
"""

from __future__ import annotations

from .base import StaticStore

__all__ = ["CDragon"]


class CDragon(StaticStore):
    """CommunityDragon; options BASE_URL, TIMEOUT, ERROR_HANDLING, RATE_LIMITER, DEADLINE,
    MAX_RETRY_AFTER, MAX_RESPONSE_SIZE."""

    family = "cdragon"
    DEFAULT_BASE_URL = "https://raw.communitydragon.org"
