"""How long each store keeps each operation's data.

``EXPIRATIONS`` maps a Riot operation id (or ``"*"`` for every operation not
named) to seconds or a ``timedelta``: ``0`` means this store never keeps that
operation, ``-1`` keeps it forever. The defaults follow how fast Riot's data
changes: a finished match never changes, ranked entries move within minutes, a
live game within seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

__all__ = ["DEFAULT_EXPIRATIONS", "FOREVER", "NEVER", "Expirations", "expiration_problem"]

FOREVER = -1
NEVER = 0

# Family prefix (or exact operation id) → seconds. The longest matching prefix wins.
DEFAULT_EXPIRATIONS: dict[str, int] = {
    "*": 600,
    # Finished games never change.
    "match-v5.getMatch": FOREVER,
    "match-v5.getTimeline": FOREVER,
    "tft-match-v1.getMatch": FOREVER,
    "lor-match-v1.getMatch": FOREVER,
    "val-match-v1.getMatch": FOREVER,
    "val-console-match-v1.getMatch": FOREVER,
    "lol-rso-match-v1.getMatch": FOREVER,
    "lol-rso-match-v1.getTimeline": FOREVER,
    # Match lists grow with every game played.
    "match-v5.getMatchIdsByPUUID": 120,
    "tft-match-v1.getMatchIdsByPUUID": 120,
    "lor-match-v1.getMatchIdsByPUUID": 120,
    "val-match-v1.getMatchlist": 120,
    "val-console-match-v1.getMatchlist": 120,
    "lol-rso-match-v1.getMatchIds": 120,
    "val-match-v1.getRecent": 60,
    "val-console-match-v1.getRecent": 60,
    "match-v5.getReplay": 600,
    # Riot ids change rarely; puuids never.
    "account-v1": 3600,
    "account-v1.getByAccessToken": NEVER,
    "summoner-v4": 600,
    "summoner-v4.getByAccessToken": NEVER,
    "tft-summoner-v1": 600,
    "tft-summoner-v1.getByAccessToken": NEVER,
    # Ranked standings move within minutes.
    "league-v4": 120,
    "league-exp-v4": 120,
    "tft-league-v1": 120,
    "lor-ranked-v1": 300,
    "val-ranked-v1": 300,
    "val-console-ranked-v1": 300,
    "champion-mastery-v4": 300,
    "lol-challenges-v1": 600,
    "lol-challenges-v1.getAllChallengeConfigs": 86400,
    "lol-challenges-v1.getChallengeConfigs": 86400,
    # Live games change within seconds.
    "spectator-v5": 10,
    "spectator-tft-v5": 10,
    # Status pages should be fresh.
    "lol-status-v4": 60,
    "lor-status-v1": 60,
    "tft-status-v1": 60,
    "val-status-v1": 60,
    "champion-v3": 3600,
    "clash-v1": 300,
    "val-content-v1": 86400,
    "riftbound-content-v1": 86400,
    # Player-authorised (RSO) data and tournaments are personal or volatile: never cached.
    "lor-deck-v1": NEVER,
    "lor-inventory-v1": NEVER,
    "tournament-v5": NEVER,
    "tournament-stub-v5": NEVER,
    # Static data (stores/static/) changes with a patch, every two weeks or so.
    "ddragon": 6 * 3600,
    "ddragon.versions": 3600,
    "cdragon": 6 * 3600,
    "meraki": 6 * 3600,
    "valorant": 6 * 3600,
}


_UNCACHEABLE = tuple(name for name, value in DEFAULT_EXPIRATIONS.items() if value == NEVER)


def expiration_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid expiration, or ``None`` when it is."""
    if isinstance(value, bool) or not isinstance(value, (int, timedelta)):
        return f"must be whole seconds (int) or a timedelta, not {type(value).__name__}"
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if seconds < 0 and seconds != FOREVER:
        return f"must be 0 (never keep), -1 (keep forever) or positive, not {value!r}"
    return None


def _seconds(value: int | timedelta) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return value


class Expirations:
    """Resolves an operation id to a TTL in seconds (``-1`` forever, ``0`` never)."""

    __slots__ = ("_resolved", "_table")

    def __init__(self, overrides: Mapping[str, int | timedelta] | None = None) -> None:
        table = dict(DEFAULT_EXPIRATIONS)
        if overrides:
            if "*" in overrides:
                # A user's "*" replaces the defaults: they asked for one rule for all. Personal
                # (access-token) and tournament calls stay uncached unless named explicitly.
                table = {name: NEVER for name in _UNCACHEABLE}
                table["*"] = _seconds(overrides["*"])
            table.update({name: _seconds(value) for name, value in overrides.items()})
        self._table = table
        self._resolved: dict[str, int] = {}

    def ttl(self, method: str) -> int:
        """Seconds to keep ``method``'s data: ``-1`` forever, ``0`` not at all."""
        try:
            return self._resolved[method]
        except KeyError:
            pass
        table = self._table
        if method in table:
            value = table[method]
        else:
            family = method.split(".", 1)[0]
            value = table.get(family, table["*"])
        self._resolved[method] = value
        return value

    def caches_anything(self) -> bool:
        return any(value != NEVER for value in self._table.values())

    def as_dict(self) -> dict[str, int]:
        return dict(self._table)
