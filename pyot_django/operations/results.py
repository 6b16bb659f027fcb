"""The result objects every operation returns; front-ends only format them.

Each has ``as_dict()`` giving JSON-ready data (datetimes as ISO 8601), which is
what ``pyot_pipelines --json`` prints and what the Celery tasks return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "FetchResult",
    "MaintenanceResult",
    "PipelineInfo",
    "PipelineOutcome",
    "StoreInfo",
    "StoreOutcome",
    "TokenDeletion",
    "TokenLookup",
    "TokenState",
]

Action = Literal["clear", "expire"]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class StoreOutcome:
    """What clearing or expiring did to one store."""

    index: int
    name: str
    kind: str
    removed: int | None = None  # None: the store cannot tell cheaply (or was not touched)
    skipped: str | None = None  # why the store was left alone (e.g. a service store)
    error: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "removed": self.removed,
            "skipped": self.skipped,
            "error": self.error,
            "seconds": round(self.seconds, 6),
        }


@dataclass(frozen=True)
class PipelineOutcome:
    """What clearing or expiring did to one pipeline, store by store."""

    pipeline: str
    stores: tuple[StoreOutcome, ...]

    @property
    def ok(self) -> bool:
        return all(store.error is None for store in self.stores)

    @property
    def removed(self) -> int:
        """Entries removed by the stores that could tell."""
        return sum(store.removed or 0 for store in self.stores)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "ok": self.ok,
            "removed": self.removed,
            "stores": [store.as_dict() for store in self.stores],
        }


@dataclass(frozen=True)
class MaintenanceResult:
    """The result of ``clear_pipelines`` / ``expire_pipelines``."""

    action: Action
    pipelines: tuple[PipelineOutcome, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(pipeline.ok for pipeline in self.pipelines)

    @property
    def errors(self) -> list[str]:
        return [
            f"{pipeline.pipeline}[{store.index}] {store.name}: {store.error}"
            for pipeline in self.pipelines
            for store in pipeline.stores
            if store.error is not None
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "ok": self.ok,
            "seconds": round(self.seconds, 6),
            "pipelines": [pipeline.as_dict() for pipeline in self.pipelines],
        }


@dataclass(frozen=True)
class StoreInfo:
    """One store as an operator sees it (never a secret)."""

    index: int
    name: str
    kind: str
    backend: str
    location: str | None  # cache alias, model label or base URL: where the data lives
    expirations: dict[str, Any] | None
    count: int | None  # None: the store cannot count cheaply
    count_error: str | None
    health: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "backend": self.backend,
            "location": self.location,
            "expirations": self.expirations,
            "count": self.count,
            "count_error": self.count_error,
            "health": self.health,
            "details": self.details,
        }


@dataclass(frozen=True)
class PipelineInfo:
    """One pipeline: its stores in lookup order."""

    name: str
    namespace: str
    stores: tuple[StoreInfo, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "namespace": self.namespace, "stores": [store.as_dict() for store in self.stores]}


@dataclass(frozen=True)
class TokenState:
    """Whether one store holds a token, and until when."""

    index: int
    name: str
    kind: str
    held: bool | None  # None: not asked (service stores would call Riot)
    expires_at: datetime | None = None
    expiry_known: bool = False  # known and expires_at None: kept forever
    stored_at: datetime | None = None
    expired: bool = False  # an expired entry is still there (the ORM keeps rows until expire)
    error: str | None = None

    @property
    def never_expires(self) -> bool:
        return bool(self.held) and self.expiry_known and self.expires_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "held": self.held,
            "expires_at": _iso(self.expires_at),
            "expiry_known": self.expiry_known,
            "never_expires": self.never_expires,
            "stored_at": _iso(self.stored_at),
            "expired": self.expired,
            "error": self.error,
        }


@dataclass(frozen=True)
class TokenLookup:
    """Where a token is cached; ``value`` comes from the first store that holds it."""

    pipeline: str
    key: str
    method: str
    server: str
    params: dict[str, Any]
    queries: dict[str, Any]
    stores: tuple[TokenState, ...]
    value: Any = None
    source: int | None = None  # index of the store the value was read from

    @property
    def found(self) -> bool:
        return self.source is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "key": self.key,
            "method": self.method,
            "server": self.server,
            "params": self.params,
            "queries": self.queries,
            "found": self.found,
            "source": self.source,
            "value": self.value,
            "stores": [store.as_dict() for store in self.stores],
        }


@dataclass(frozen=True)
class TokenDeletion:
    """Which cache stores a token was deleted from."""

    pipeline: str
    key: str
    deleted_from: tuple[int, ...]
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def deleted(self) -> bool:
        return bool(self.deleted_from)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "key": self.key,
            "deleted_from": list(self.deleted_from),
            "errors": {str(index): error for index, error in self.errors.items()},
        }


@dataclass(frozen=True)
class FetchResult:
    """A value fetched through the pipeline and the store that supplied it."""

    pipeline: str
    key: str
    value: Any
    store_index: int | None
    store_name: str | None
    seconds: float
    shared: bool = False  # answered by another caller's in-flight lookup

    def as_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "key": self.key,
            "store_index": self.store_index,
            "store_name": self.store_name,
            "seconds": round(self.seconds, 6),
            "shared": self.shared,
            "value": self.value,
        }
