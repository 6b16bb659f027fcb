"""The Riot API as pyot_django knows it: operations, routing values and parameter handling.

For views: ``region_of(platform)``, ``region_of_match(match_id)``, ``routing_values(operation)``.

``ENDPOINTS`` maps Riot's operation ids (``match-v5.getMatch``) to immutable
``Endpoint`` descriptions; the helpers check a token against them before any request.
"""

from pyot_django.riot.catalogue import ENDPOINTS, GAMES, endpoints_for_game, get_endpoint, operations_for_game
from pyot_django.riot.endpoint import Endpoint, QueryParam
from pyot_django.riot.params import build_path, check_query, encode_query
from pyot_django.riot.regions import (
    ACCOUNT_REGIONS,
    PLATFORM_REGIONS,
    account_region_of,
    platform_of_match,
    region_of,
    region_of_match,
    routing_values,
)
from pyot_django.riot.routing import (
    PLATFORM,
    PLATFORMS,
    REGIONAL,
    REGIONS,
    ROUTING_VALUES,
    STATIC,
    VAL_PLATFORM,
    VAL_PLATFORMS,
    check_server,
    routing_kinds,
)

__all__ = [
    "ACCOUNT_REGIONS",
    "ENDPOINTS",
    "GAMES",
    "PLATFORM",
    "PLATFORMS",
    "PLATFORM_REGIONS",
    "REGIONAL",
    "REGIONS",
    "ROUTING_VALUES",
    "STATIC",
    "VAL_PLATFORM",
    "VAL_PLATFORMS",
    "Endpoint",
    "QueryParam",
    "account_region_of",
    "build_path",
    "check_query",
    "check_server",
    "encode_query",
    "endpoints_for_game",
    "get_endpoint",
    "operations_for_game",
    "platform_of_match",
    "region_of",
    "region_of_match",
    "routing_kinds",
    "routing_values",
]
