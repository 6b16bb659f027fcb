"""``DDragon``: Riot's Data Dragon (LoL and TFT data files; LoR's on ``LOR_BASE_URL``).

Data Dragon has no ``latest``: ``version="latest"`` is resolved to the first entry
of ``/api/versions.json``, fetched once per expiration (``EXPIRATIONS`` of
``ddragon.versions``, default one hour) and shared by every lookup meanwhile.
Legends of Runeterra's files (``dd.b.pvp.net``) do serve ``latest`` as it is.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...exceptions import InvalidResponse
from ...riot.static_catalogue import STATIC_ENDPOINTS, StaticEndpoint
from ..base import StoreContext
from .base import StaticStore

if TYPE_CHECKING:
    import httpx

__all__ = ["DDragon"]

_LOR_OPERATIONS = frozenset({"ddragon.lorSet", "ddragon.lorCore"})
_VERSIONS = STATIC_ENDPOINTS["ddragon.versions"]


class DDragon(StaticStore):
    """Data Dragon; options BASE_URL, LOR_BASE_URL, TIMEOUT, ERROR_HANDLING, RATE_LIMITER, DEADLINE,
    MAX_RETRY_AFTER, MAX_RESPONSE_SIZE, EXPIRATIONS."""

    family = "ddragon"
    DEFAULT_BASE_URL = "https://ddragon.leagueoflegends.com"
    DEFAULT_LOR_BASE_URL = "https://dd.b.pvp.net"
    OPTIONS = StaticStore.OPTIONS | {"LOR_BASE_URL"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.lor_base_url: str = str(options.get("LOR_BASE_URL", self.DEFAULT_LOR_BASE_URL)).rstrip("/")
        self._latest: tuple[str, float] | None = None  # (version, monotonic time it expires)
        self._resolving: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self.version_fetches = 0  # how many times versions.json was fetched to resolve "latest"

    @classmethod
    def url_options(cls) -> tuple[str, ...]:
        return ("BASE_URL", "LOR_BASE_URL")

    def url_of(self, endpoint: StaticEndpoint, params: Mapping[str, object]) -> str:
        if endpoint.operation_id in _LOR_OPERATIONS:
            from ...riot import build_path

            return self.lor_base_url + build_path(endpoint, params)
        return super().url_of(endpoint, params)

    async def resolve_params(
        self, endpoint: StaticEndpoint, params: dict[str, Any], session: httpx.AsyncClient | None
    ) -> dict[str, Any]:
        if params.get("version") == "latest" and endpoint.operation_id not in _LOR_OPERATIONS:
            params["version"] = await self.latest_version(session)
        return params

    async def latest_version(self, session: httpx.AsyncClient | None = None) -> str:
        """The current Data Dragon version, fetched at most once per expiration."""
        cached = self._latest
        if cached is not None and time.monotonic() < cached[1]:
            return cached[0]
        loop = asyncio.get_running_loop()
        lock = self._resolving.get(loop)
        if lock is None:
            lock = self._resolving[loop] = asyncio.Lock()
        async with lock:  # concurrent lookups wait for the one fetch
            cached = self._latest
            if cached is not None and time.monotonic() < cached[1]:
                return cached[0]
            versions = await self.get_json(self.url_of(_VERSIONS, {}), _VERSIONS, session)
            self.version_fetches += 1
            if not versions or not isinstance(versions[0], str):  # the client checked it is an array
                raise InvalidResponse(
                    "Data Dragon's versions.json is not a list of versions", method="ddragon.versions", server="global"
                )
            ttl = self.expirations.ttl("ddragon.versions")
            expires = float("inf") if ttl < 0 else time.monotonic() + ttl
            self._latest = (versions[0], expires)
            return versions[0]
