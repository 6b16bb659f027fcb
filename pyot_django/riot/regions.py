"""Routing helpers a view needs: which routing value serves a platform, a match, an operation.

League and TFT data is split between *platforms* (``na1``: summoners, ranked entries,
masteries) and *regional* clusters (``americas``: matches and Riot accounts). A view
usually starts from one of them and needs the other. Each helper raises
:class:`~pyot_django.exceptions.RoutingError` (a ``ValueError``) for a value Riot does
not know, so a view can answer 400 with the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pyot_django.exceptions import RoutingError
from pyot_django.riot.catalogue import ENDPOINTS, get_endpoint
from pyot_django.riot.routing import PLATFORM, PLATFORMS, REGIONAL, REGIONS, VAL_PLATFORM, VAL_PLATFORMS
from pyot_django.riot.served_on import served_on

__all__ = [
    "ACCOUNT_REGIONS",
    "PLATFORM_REGIONS",
    "account_region_of",
    "platform_of_match",
    "region_of",
    "region_of_match",
    "routing_values",
]

PLATFORM_REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "na1": "americas", "br1": "americas", "la1": "americas", "la2": "americas",
        "euw1": "europe", "eun1": "europe", "tr1": "europe", "ru": "europe", "me1": "europe",
        "kr": "asia", "jp1": "asia",
        "oc1": "sea", "sg2": "sea", "tw2": "sea", "vn2": "sea",
    }
)  # fmt: skip
"""League/TFT platform → the regional routing value of its matches (match-v5)."""

_BY_ROUTE = {PLATFORM: PLATFORMS, REGIONAL: REGIONS, VAL_PLATFORM: VAL_PLATFORMS}

ACCOUNT_REGIONS = ("americas", "asia", "europe")
"""account-v1 has no ``sea`` cluster: accounts of SEA players are served by ``asia``."""

assert set(PLATFORM_REGIONS) == set(PLATFORMS) and set(PLATFORM_REGIONS.values()) == set(REGIONS)


def _platform(value: object) -> str:
    if not isinstance(value, str):
        raise RoutingError(f"a platform is a string such as 'na1', got {type(value).__name__}")
    platform = value.strip().lower()
    if platform not in PLATFORM_REGIONS:
        raise RoutingError(f"{value!r} is not a League platform ({', '.join(PLATFORMS)})")
    return platform


def region_of(platform: str) -> str:
    """``"euw1"`` → ``"europe"``: where the platform's matches live (match-v5, tft-match-v1)."""
    return PLATFORM_REGIONS[_platform(platform)]


def account_region_of(platform: str) -> str:
    """The account-v1 cluster nearest the platform (``sea`` platforms → ``asia``)."""
    region = region_of(platform)
    return region if region in ACCOUNT_REGIONS else "asia"


def platform_of_match(match_id: str) -> str:
    """``"EUW1_6543210"`` → ``"euw1"``: the platform prefix of a League/TFT match id."""
    if not isinstance(match_id, str) or "_" not in match_id:
        raise RoutingError(f"a match id looks like 'NA1_5389898818', got {match_id!r}")
    prefix, _, number = match_id.partition("_")
    if not number.isdigit():
        raise RoutingError(f"a match id looks like 'NA1_5389898818', got {match_id!r}")
    return _platform(prefix)


def region_of_match(match_id: str) -> str:
    """``"NA1_5389898818"`` → ``"americas"``: the routing value of match-v5.getMatch for it."""
    return PLATFORM_REGIONS[platform_of_match(match_id)]


def routing_values(operation_id: str, game: str | None = None) -> tuple[str, ...]:
    """The servers an operation accepts: ``routing_values("summoner-v4.getByPUUID")`` → platforms.

    ``game``: look it up as that pipeline's game would (raises ``NotFindable`` if it
    does not serve it); by default any game's operation.
    """
    endpoint = get_endpoint(game, operation_id) if game else ENDPOINTS.get(operation_id)
    if endpoint is None:
        get_endpoint("riot", operation_id)  # raises NotFindable with suggestions
        raise AssertionError("unreachable")  # pragma: no cover
    # What Riot serves it on (account-v1 is not on sea, tournaments only on americas), in the
    # usual order of its routing kind, then any extra values (pbe1, apac, esports...).
    served = served_on(endpoint)
    usual = _BY_ROUTE.get(endpoint.route, ())
    return tuple(v for v in usual if v in served) + tuple(sorted(served.difference(usual)))

