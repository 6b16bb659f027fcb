"""Clearing and expiring pipelines, store by store.

Each store is asked on its own and its failure is recorded, not raised: one dead
Redis must not stop the ORM from being cleared, and the operator must see which
store failed. Selection errors (unknown name, bad store index) are raised before
any store is touched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from ..stores.base import CacheStore
from .results import Action, MaintenanceResult, PipelineOutcome, StoreOutcome
from .selection import InvalidStore, resolve_pipelines, select_store

__all__ = ["aclear_pipelines", "aexpire_pipelines", "arun_maintenance"]

logger = logging.getLogger("pyot_django.operations")


async def arun_maintenance(
    action: Action, names: Iterable[str] | str | None = None, *, store: int | None = None
) -> MaintenanceResult:
    """Clear or expire the named pipelines (None: all), or only store ``store`` of one pipeline."""
    if action not in ("clear", "expire"):
        raise ValueError(f"action must be 'clear' or 'expire', not {action!r}")
    started = time.perf_counter()
    selected = resolve_pipelines(names)
    if store is not None:
        if len(selected) != 1:
            # A store index means a position in one pipeline; the same number in another
            # pipeline may be a different backend, so refuse rather than guess.
            raise InvalidStore("A store index needs exactly one pipeline name.")
        select_store(selected[0], store)
    outcomes = []
    for pipeline in selected:
        stores = []
        for index, each in enumerate(pipeline.stores):
            if store is not None and index != store:
                continue
            stores.append(await _run_store(action, pipeline.model, index, each))
        outcomes.append(PipelineOutcome(pipeline.model, tuple(stores)))
    result = MaintenanceResult(action, tuple(outcomes), time.perf_counter() - started)
    logger.info(
        "%s %s: %s entries removed in %.3f s%s",
        action,
        ", ".join(outcome.pipeline for outcome in outcomes) or "(no pipelines)",
        sum(outcome.removed for outcome in outcomes),
        result.seconds,
        "" if result.ok else f"; errors: {'; '.join(result.errors)}",
    )
    return result


async def _run_store(action: Action, pipeline: str, index: int, store: object) -> StoreOutcome:
    from ..stores.base import Store

    assert isinstance(store, Store)
    if not isinstance(store, CacheStore):
        return StoreOutcome(index, store.name, store.kind, skipped="service store: keeps no data")
    started = time.perf_counter()
    try:
        removed = await (store.clear() if action == "clear" else store.expire())
    except NotImplementedError:
        return StoreOutcome(index, store.name, store.kind, skipped=f"{store.name} cannot {action}")
    except Exception as exc:
        logger.warning("%s of pipeline %r store %d (%s) failed: %s", action, pipeline, index, store.name, exc)
        return StoreOutcome(
            index, store.name, store.kind, error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - started
        )
    return StoreOutcome(index, store.name, store.kind, removed=removed, seconds=time.perf_counter() - started)


async def aclear_pipelines(names: Iterable[str] | str | None = None, *, store: int | None = None) -> MaintenanceResult:
    """Remove every entry of the named pipelines' cache stores (None: all pipelines)."""
    return await arun_maintenance("clear", names, store=store)


async def aexpire_pipelines(names: Iterable[str] | str | None = None, *, store: int | None = None) -> MaintenanceResult:
    """Drop the expired entries of the named pipelines' cache stores (None: all pipelines)."""
    return await arun_maintenance("expire", names, store=store)
