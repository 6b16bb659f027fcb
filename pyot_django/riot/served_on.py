"""Where Riot serves each operation: the routing values, per operation, that it answers on.

A routing *kind* (platform / regional / VALORANT shard, ``routing.py``) says what shape of value
an operation takes; Riot actually serves a narrower set (account-v1 is not on ``sea``,
tournaments only on ``americas``) and sometimes a wider one (``pbe1``, ``apac``, ``esports``).
Written from the public Riot API reference (``x-platforms-available``, ``x-route-enum``);
``tests/reference/test_emulator_fidelity.py`` compares it with the reference so it cannot drift.
``RSO_OPERATIONS`` are the operations that also need the player's RSO Bearer token.
One table for both sides: the RiotAPI store's ``check_server`` refuses what the emulator
(``testing/rules.py``) would answer 400 to.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from pyot_django.riot.endpoint import Endpoint

__all__ = ["RSO_OPERATIONS", "SERVED_BY_FAMILY", "served_on"]

_PLATFORMS = ("br1", "eun1", "euw1", "jp1", "kr", "la1", "la2", "me1", "na1", "oc1", "ru", "sg2", "tr1", "tw2", "vn2")
_WITH_PBE = (*_PLATFORMS, "pbe1")
_REGIONS = ("americas", "asia", "europe", "sea")
_ACCOUNT_REGIONS = ("americas", "asia", "europe")
_LOR_REGIONS = ("americas", "europe", "sea")
_VAL_ALL = ("ap", "br", "esports", "eu", "kr", "latam", "na")
_VAL_SHARDS = ("ap", "br", "eu", "kr", "latam", "na")

# Routing values per family; every family not listed is served on the 15 platforms.
SERVED_BY_FAMILY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "account-v1": _ACCOUNT_REGIONS,
        "lol-challenges-v1": _WITH_PBE,
        "lol-rso-match-v1": _REGIONS,
        "lol-status-v4": tuple(p for p in _WITH_PBE if p != "tw2"),
        "lor-deck-v1": _LOR_REGIONS,
        "lor-inventory-v1": _LOR_REGIONS,
        "lor-match-v1": ("americas", "apac", "europe", "sea"),
        "lor-ranked-v1": _LOR_REGIONS,
        "lor-status-v1": _LOR_REGIONS,
        "match-v5": _REGIONS,
        "riftbound-content-v1": _ACCOUNT_REGIONS,
        "tft-match-v1": ("americas", "asia", "esports", "esportseu", "europe", "sea"),
        "tft-status-v1": _WITH_PBE,
        "tournament-stub-v5": ("americas",),
        "tournament-v5": ("americas",),
        "val-console-match-v1": ("ap", "br", "eu", "latam", "na"),
        "val-console-ranked-v1": ("ap", "eu", "na"),
        "val-content-v1": _VAL_ALL,
        "val-match-v1": _VAL_ALL,
        "val-ranked-v1": _VAL_SHARDS,
        "val-status-v1": _VAL_SHARDS,
    }
)


# Operations the reference marks ``security: rso``: they need the player's RSO access token.
RSO_OPERATIONS = frozenset(
    {
        "account-v1.getByAccessToken",
        "lol-rso-match-v1.getMatchIds",
        "lol-rso-match-v1.getMatch",
        "lol-rso-match-v1.getTimeline",
        "lor-deck-v1.getDecks",
        "lor-deck-v1.createDeck",
        "lor-inventory-v1.getCards",
        "summoner-v4.getByAccessToken",
        "tft-summoner-v1.getByAccessToken",
    }
)


# Static-data operations (ddragon.*, cdragon.*, ...) are not Riot's: one value, "global".
_BY_ROUTE_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType({"static": ("global",)})


@cache
def _served_on_family(family: str, route: str) -> frozenset[str]:
    return frozenset(SERVED_BY_FAMILY.get(family) or _BY_ROUTE_KIND.get(route, _PLATFORMS))


def served_on(endpoint: Endpoint) -> frozenset[str]:
    """The (lower-case) routing values Riot (or a static-data source) answers ``endpoint`` on."""
    return _served_on_family(endpoint.family, endpoint.route)
