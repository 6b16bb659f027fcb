"""Routing values (the ``server`` of a token) and the check that one fits an operation.

Riot serves each operation on one kind of host: a platform (``na1``), a regional
cluster (``americas``) or a VALORANT shard (``na``), narrowed or widened per operation
(``served_on.py``). A token whose server Riot does not serve the operation on can never
succeed, so it fails here, before any request is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pyot_django.exceptions import RoutingError
from pyot_django.riot.endpoint import Endpoint
from pyot_django.riot.served_on import served_on

__all__ = [
    "PLATFORM",
    "PLATFORMS",
    "REGIONAL",
    "REGIONS",
    "ROUTING_VALUES",
    "STATIC",
    "STATIC_SERVERS",
    "VAL_PLATFORM",
    "VAL_PLATFORMS",
    "check_server",
    "routing_kinds",
]

PLATFORM = "platform"
REGIONAL = "regional"
VAL_PLATFORM = "val-platform"
# Static data (Data Dragon, CommunityDragon, Meraki, valorant-api.com) is the same everywhere:
# its operations take the one routing value "global".
STATIC = "static"

PLATFORMS = (
    "br1",
    "eun1",
    "euw1",
    "jp1",
    "kr",
    "la1",
    "la2",
    "me1",
    "na1",
    "oc1",
    "ru",
    "sg2",
    "tr1",
    "tw2",
    "vn2",
)
REGIONS = ("americas", "asia", "europe", "sea")
VAL_PLATFORMS = ("ap", "br", "eu", "kr", "latam", "na", "esports")
STATIC_SERVERS = ("global",)

# frozensets: membership is checked on every request of the store and the emulator.
ROUTING_VALUES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        PLATFORM: frozenset(PLATFORMS),
        REGIONAL: frozenset(REGIONS),
        VAL_PLATFORM: frozenset(VAL_PLATFORMS),
        STATIC: frozenset(STATIC_SERVERS),
    }
)
_ORDERED = {PLATFORM: PLATFORMS, REGIONAL: REGIONS, VAL_PLATFORM: VAL_PLATFORMS, STATIC: STATIC_SERVERS}
_KIND_NAMES = {PLATFORM: "platform", REGIONAL: "regional", VAL_PLATFORM: "VALORANT platform", STATIC: "static data"}


def routing_kinds(server: str) -> tuple[str, ...]:
    """The routing kinds a value belongs to ("kr" is both a platform and a VALORANT shard)."""
    return tuple(kind for kind, values in ROUTING_VALUES.items() if server in values)


def check_server(endpoint: Endpoint, server: str) -> str:
    """``server`` in lower case (host names ignore case: ``NA1`` is ``na1``), or ``RoutingError``
    unless Riot serves the operation on it (``served_on.py``: its kind, narrowed or widened per
    operation as the reference lists, e.g. ``pbe1`` for lol-status, never ``sea`` for account-v1)."""
    if isinstance(server, str):
        value = server.lower()
        if value in served_on(endpoint):
            return value
    raise RoutingError(_explain(endpoint, server))


def _explain(endpoint: Endpoint, server: object) -> str:
    served = served_on(endpoint)
    values = ", ".join(v for v in _ORDERED[endpoint.route] if v in served)
    values += "".join(f", {v}" for v in sorted(served - ROUTING_VALUES[endpoint.route]))
    head = f"{endpoint.operation_id} is routed by {_KIND_NAMES[endpoint.route]}, served on {values}"
    if not isinstance(server, str):
        return f"{head}; got {type(server).__name__} {server!r}"
    if server.lower() in ROUTING_VALUES[endpoint.route]:
        return f"{head}; Riot does not serve it on {server!r}"
    kinds = routing_kinds(server.lower())
    if kinds:
        what = " and ".join(_KIND_NAMES[kind] for kind in kinds)
        article = "an" if what[0] in "aeiouAEIOU" else "a"
        return f"{head}; {server!r} is {article} {what} value"
    return f"{head}; {server!r} is not a Riot routing value"
