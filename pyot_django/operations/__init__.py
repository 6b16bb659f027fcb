"""Operating the pipelines: the one core behind the commands, the Celery tasks and the admin page.

Every operation is a coroutine (``a``-prefixed, like Django's async ORM calls)
with a sync twin made by ``async_to_sync`` for WSGI views, management commands
and Celery tasks. Each returns a result object from :mod:`.results` (all with
``as_dict()``); front-ends only parse input and format these.

- ``clear_pipelines(names=None, *, store=None)`` / ``expire_pipelines(...)`` →
  ``MaintenanceResult``; ``names`` None = every pipeline; ``store`` = one store
  index of a single pipeline.
- ``inspect_pipelines(names=None)`` → ``list[PipelineInfo]``.
- ``lookup_token(name, server, method, params, queries)`` → ``TokenLookup``;
  ``delete_token(...)`` → ``TokenDeletion``; ``fetch_token(...)`` → ``FetchResult``.

Unknown pipeline names raise ``UnknownPipeline`` (listing the configured ones);
a bad store index ``InvalidStore``; a bad operation, server or parameter the
catalogue's ``NotFindable``, ``RoutingError`` or ``ParameterError``. All are
``PyotError``. A store failing during clear/expire is reported in the result,
not raised.

The Memory store lives in each process: clearing it from a command or a Celery
worker clears that process's copy only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from asgiref.sync import async_to_sync

from .inspection import ainspect_pipelines, mask_secret, redact
from .maintenance import aclear_pipelines, aexpire_pipelines, arun_maintenance
from .results import (
    Action,
    FetchResult,
    MaintenanceResult,
    PipelineInfo,
    PipelineOutcome,
    StoreInfo,
    StoreOutcome,
    TokenDeletion,
    TokenLookup,
    TokenState,
)
from .selection import InvalidStore, UnknownPipeline, configured_names, parse_pairs, resolve_pipelines
from .tokens import adelete_token, afetch_token, alookup_token

__all__ = [
    "FetchResult",
    "InvalidStore",
    "MaintenanceResult",
    "PipelineInfo",
    "PipelineOutcome",
    "StoreInfo",
    "StoreOutcome",
    "TokenDeletion",
    "TokenLookup",
    "TokenState",
    "UnknownPipeline",
    "aclear_pipelines",
    "adelete_token",
    "aexpire_pipelines",
    "afetch_token",
    "ainspect_pipelines",
    "alookup_token",
    "arun_maintenance",
    "clear_pipelines",
    "configured_names",
    "delete_token",
    "expire_pipelines",
    "fetch_token",
    "inspect_pipelines",
    "lookup_token",
    "mask_secret",
    "parse_pairs",
    "redact",
    "resolve_pipelines",
    "run_maintenance",
]


def run_maintenance(
    action: Action, names: Iterable[str] | str | None = None, *, store: int | None = None
) -> MaintenanceResult:
    """Sync ``arun_maintenance``: ``action`` is "clear" or "expire"."""
    return async_to_sync(arun_maintenance)(action, names, store=store)


def clear_pipelines(names: Iterable[str] | str | None = None, *, store: int | None = None) -> MaintenanceResult:
    """Sync ``aclear_pipelines``."""
    return async_to_sync(aclear_pipelines)(names, store=store)


def expire_pipelines(names: Iterable[str] | str | None = None, *, store: int | None = None) -> MaintenanceResult:
    """Sync ``aexpire_pipelines``."""
    return async_to_sync(aexpire_pipelines)(names, store=store)


def inspect_pipelines(names: Iterable[str] | str | None = None) -> list[PipelineInfo]:
    """Sync ``ainspect_pipelines``."""
    return async_to_sync(ainspect_pipelines)(names)


def lookup_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> TokenLookup:
    """Sync ``alookup_token``."""
    return async_to_sync(alookup_token)(name, server, method, params, queries)


def delete_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> TokenDeletion:
    """Sync ``adelete_token``."""
    return async_to_sync(adelete_token)(name, server, method, params, queries)


def fetch_token(
    name: str,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> FetchResult:
    """Sync ``afetch_token``."""
    return async_to_sync(afetch_token)(name, server, method, params, queries)
