"""The Riot API as pyot_django knows it: operations, routing values and parameter handling.

``ENDPOINTS`` maps Riot's operation ids (``match-v5.getMatch``) to immutable
``Endpoint`` descriptions; the helpers check a token against them before any request.
"""

from pyot_django.riot.catalogue import ENDPOINTS, GAMES, endpoints_for_game, get_endpoint, operations_for_game
from pyot_django.riot.endpoint import Endpoint, QueryParam
from pyot_django.riot.params import build_path, check_query, encode_query
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
    "ENDPOINTS",
    "GAMES",
    "PLATFORM",
    "PLATFORMS",
    "REGIONAL",
    "REGIONS",
    "ROUTING_VALUES",
    "STATIC",
    "VAL_PLATFORM",
    "VAL_PLATFORMS",
    "Endpoint",
    "QueryParam",
    "build_path",
    "check_query",
    "check_server",
    "encode_query",
    "endpoints_for_game",
    "get_endpoint",
    "operations_for_game",
    "routing_kinds",
]
