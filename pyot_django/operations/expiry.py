"""When a cached token expires, asked of each kind of store in the cheapest way it has.

Stores have no common "expiry of" call (most backends never need one), so this
asks what each can answer: the ORM row's columns, the Memory store's clock,
django-redis's TTL and LocMem's expiry table. Anything else answers "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async

if TYPE_CHECKING:
    from ..pipeline import PipelineToken
    from ..stores.base import Store

__all__ = ["Expiry", "expiry_of"]


@dataclass(frozen=True)
class Expiry:
    known: bool
    expires_at: datetime | None = None  # None with known=True: kept forever
    stored_at: datetime | None = None
    present: bool = False  # an entry exists (maybe expired): only the ORM can tell
    expired: bool = False


UNKNOWN = Expiry(known=False)


async def expiry_of(store: Store, token: PipelineToken) -> Expiry:
    from ..stores.djangocache import DjangoCache
    from ..stores.memory import Memory
    from ..stores.orm import DjangoORM

    if isinstance(store, DjangoORM):
        row = await store.entry(token)
        if row is None:
            return Expiry(known=True)
        return Expiry(
            known=True, expires_at=row.expires_at, stored_at=row.stored_at, present=True, expired=row.is_expired
        )
    if isinstance(store, Memory):
        epoch = store.expires_at(token)
        return Expiry(known=True, expires_at=None if epoch is None else datetime.fromtimestamp(epoch, UTC))
    if isinstance(store, DjangoCache):
        return await sync_to_async(_cache_expiry, thread_sensitive=False)(store, token)
    return UNKNOWN


def _cache_expiry(store: Any, token: PipelineToken) -> Expiry:
    from ..stores.cache_clearing import uses_generations

    cache = store.cache
    if uses_generations(cache):
        return UNKNOWN  # the key carries a generation number we would have to read first
    key = store.key_for(token)
    ttl = getattr(cache, "ttl", None)
    if callable(ttl):  # django-redis: None = no expiry, 0 = gone, else seconds left
        seconds = ttl(key)
        if seconds is None:
            return Expiry(known=True)
        return Expiry(known=True, expires_at=datetime.now(UTC) + timedelta(seconds=seconds))
    expire_info = getattr(cache, "_expire_info", None)
    if isinstance(expire_info, dict):  # LocMem keeps wall-clock expiry times (private, read-only here)
        epoch = expire_info.get(cache.make_key(key))
        if epoch is None:
            return Expiry(known=True)
        return Expiry(known=True, expires_at=datetime.fromtimestamp(epoch, UTC))
    return UNKNOWN
