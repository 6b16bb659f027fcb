"""Deterministic, realistic data for the Riot emulator.

``generate(operation_id, server, path_params, query, body, api_key)`` answers any of the 82
operations of the Riot API reference (``OPERATIONS``) with a JSON-ready object of the response
schema's shape; ``generate_bytes`` answers the same as orjson bytes (cached), which is what a
server should send. Same inputs, same output: everything is seeded from blake2b digests of the
identifying inputs and timestamps hang off a fixed anchor, never the clock.

Cross-consistency: ``account-v1.getByRiotId`` mints a PUUID from (case-folded gameName, tagLine,
API key) -- two keys see two PUUIDs for one player, as at Riot -- and ``getByPuuid`` gives the Riot
id back. A PUUID determines its summoner, league entries, masteries and match history; listed
match ids (``NA1_…``, platform picked per PUUID within the region) resolve at ``getMatch`` and
``getTimeline`` with that PUUID among the participants. Players generated inside matches and
ladders are registered too, so their PUUIDs resolve at account-v1.

The 404 rule (``DataNotFound``):

* any path parameter whose value starts with ``404`` or equals ``notfound`` (case-insensitive) --
  this covers a Riot id whose gameName starts with ``404``;
* spectator (LoL and TFT): a deterministic ~30% of PUUIDs are in a game (200); the rest answer
  "Data not found - spectator game info isn't found".

An unknown operation id raises ``KeyError``. PUT operations answer ``None`` (``generate_bytes``:
``b""``), i.e. an empty 200. Answers are cached per operation as bytes; ``generate`` hands out a
fresh copy each call, so callers may mutate it.
"""

from __future__ import annotations

from functools import lru_cache

import orjson

from . import (
    account,
    league,
    lor,
    mastery,
    match,
    matchlist,
    misc,
    spectator,
    status,
    summoner,
    tft,
    timeline,
    tournament,
    val,
)
from ._core import DataNotFound, Handler, Request
from .ids import ACCOUNTS
from .match_core import match_core as _match_cores  # the bare name would shadow the submodule
from .matchlist import MATCHES

__all__ = ["OPERATIONS", "DataNotFound", "clear_caches", "generate", "generate_bytes"]

_HANDLERS: dict[str, Handler] = {}
for _module in (
    account,
    summoner,
    league,
    mastery,
    matchlist,
    match,
    timeline,
    spectator,
    tft,
    lor,
    val,
    tournament,
    status,
    misc,
):
    _HANDLERS.update(_module.HANDLERS)

OPERATIONS: frozenset[str] = frozenset(_HANDLERS)

_Query = tuple[tuple[str, tuple[str, ...]], ...]


def _run(
    operation: str, server: str, path: tuple[tuple[str, str], ...], query: _Query, body: bytes, api_key: str
) -> bytes:
    req = Request(
        operation, server, dict(path), {k: list(v) for k, v in query}, orjson.loads(body) if body else None, api_key
    )
    result = _HANDLERS[operation].fn(req)
    # ``None`` (the PUT) is an empty body, not the JSON literal ``null``.
    return b"" if result is None else orjson.dumps(result)


def _run_in_context(
    operation: str,
    server: str,
    path: tuple[tuple[str, str], ...],
    query: _Query,
    body: bytes,
    api_key: str,
    context: object,
) -> bytes:
    # ``context`` only separates cache entries; the handler re-reads the state it stands for.
    return _run(operation, server, path, query, body, api_key)


# One cache per operation, sized to its payloads (a timeline is 10x a match, 1000x a summoner):
# each lru_cache(...) call wraps the function in a cache of its own.
_CACHED = {op: lru_cache(maxsize=h.cache)(_run_in_context) for op, h in _HANDLERS.items() if h.cache}


def generate_bytes(
    operation_id: str,
    server: str,
    path_params: dict[str, str],
    query: dict[str, list[str]],
    body: object | None,
    api_key: str,
) -> bytes:
    """The answer as JSON bytes (``b""`` for an empty 200). Raises ``DataNotFound`` (404) or
    ``KeyError`` (unknown operation)."""
    handler = _HANDLERS[operation_id]
    path = tuple(sorted(path_params.items()))
    q = tuple(sorted((k, tuple(v)) for k, v in query.items()))
    raw_body = b"" if body is None else orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    cached = _CACHED.get(operation_id)
    if cached is None:
        return _run(operation_id, server, path, q, raw_body, api_key)
    context = None
    if handler.context is not None:
        context = handler.context(Request(operation_id, server, path_params, query, body, api_key))
    return cached(operation_id, server, path, q, raw_body, api_key, context)


def generate(
    operation_id: str,
    server: str,
    path_params: dict[str, str],
    query: dict[str, list[str]],
    body: object | None,
    api_key: str,
) -> object:
    """The answer as a fresh JSON-ready object (safe to mutate). See ``generate_bytes``."""
    raw = generate_bytes(operation_id, server, path_params, query, body, api_key)
    return orjson.loads(raw) if raw else None


def clear_caches() -> None:
    """Forget every cached answer and registered id (tests that want a cold start)."""
    for cached in _CACHED.values():
        cached.cache_clear()
    ACCOUNTS.clear()
    MATCHES.clear()
    _match_cores.cache_clear()
