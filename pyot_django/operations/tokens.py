"""One token: where it is cached (value and expiry), deleting it, fetching it.

Looking up asks each *cache* store directly rather than ``Pipeline.get``, so
inspecting neither sinks the value into earlier stores, nor moves the health
counters, nor calls the Riot API.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ..exceptions import NotFindable, NotFound
from ..pipeline.trace import trace_lookups
from ..stores.base import CacheStore
from .expiry import expiry_of
from .results import FetchResult, TokenDeletion, TokenLookup, TokenState
from .selection import build_token, resolve_pipelines

__all__ = ["adelete_token", "afetch_token", "alookup_token"]


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


async def _state(index: int, store: Any, token: Any) -> tuple[TokenState, Any]:
    """The state of ``token`` in one store, and its value when held (else None)."""
    if not isinstance(store, CacheStore):
        return TokenState(index, store.name, store.kind, held=None), None
    try:
        held = await store.contains(token)
        expiry = await expiry_of(store, token)
        value = None
        if held:
            try:
                value = await store.get(token)
            except (NotFound, NotFindable):  # expired between the two calls
                held = False
    except Exception as exc:
        return TokenState(index, store.name, store.kind, held=False, error=_error(exc)), None
    state = TokenState(
        index,
        store.name,
        store.kind,
        held=held,
        expires_at=expiry.expires_at if (held or expiry.present) else None,
        expiry_known=expiry.known and (held or expiry.present),
        stored_at=expiry.stored_at,
        expired=expiry.expired,
    )
    return state, value


async def alookup_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> TokenLookup:
    """Which cache stores of pipeline ``name`` hold the token, with the value and expiry."""
    (pipeline,) = resolve_pipelines([name])
    token = build_token(pipeline, server, method, params, queries)
    states = []
    value: Any = None
    source: int | None = None
    for index, store in enumerate(pipeline.stores):
        state, held_value = await _state(index, store, token)
        states.append(state)
        if state.held and source is None:
            value, source = held_value, index
    return TokenLookup(
        pipeline=pipeline.model,
        key=token.stringify,
        method=token.method,
        server=token.server,
        params=dict(token.params),
        queries=dict(token.queries),
        stores=tuple(states),
        value=value,
        source=source,
    )


async def adelete_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> TokenDeletion:
    """Delete the token from every cache store of pipeline ``name``; failures are reported per store."""
    (pipeline,) = resolve_pipelines([name])
    token = build_token(pipeline, server, method, params, queries)
    deleted: list[int] = []
    errors: dict[int, str] = {}
    for index, store in enumerate(pipeline.stores):
        if not isinstance(store, CacheStore):
            continue
        try:
            if await store.delete(token):
                deleted.append(index)
        except Exception as exc:
            errors[index] = _error(exc)
    return TokenDeletion(pipeline.model, token.stringify, tuple(deleted), errors)


async def afetch_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> FetchResult:
    """Get the token through pipeline ``name`` (sinking as usual) and say which store supplied it."""
    (pipeline,) = resolve_pipelines([name])
    token = build_token(pipeline, server, method, params, queries)
    started = time.perf_counter()
    with trace_lookups() as trace:
        value = await pipeline.get(token)
    record = trace.records[-1] if trace.records else None
    return FetchResult(
        pipeline=pipeline.model,
        key=token.stringify,
        value=value,
        store_index=record.store_index if record else None,
        store_name=record.store_name if record else None,
        seconds=time.perf_counter() - started,
        shared=record.shared if record else False,
    )
