"""A test-only service store (the pipeline's tests need a service before RiotAPI).

Not part of the public API. It serves a dict of token key → value, counts calls,
and can be told to be slow, to answer NotFound, or to raise NotFindable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from pyot_django.exceptions import NotFindable, NotFound
from pyot_django.stores.base import ServiceStore, StoreContext


class FakeService(ServiceStore):
    OPTIONS = ServiceStore.OPTIONS | {"DELAY", "IDENTITY", "NOT_FINDABLE"}
    instances: list[FakeService] = []

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.delay = float(options.get("DELAY", 0))
        self.not_findable = bool(options.get("NOT_FINDABLE", False))
        self._identity = options.get("IDENTITY")
        self.calls = 0
        self.posts: list[Any] = []
        FakeService.instances.append(self)

    @property
    def identity(self) -> str | None:
        return self._identity

    async def get(self, token, session=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.not_findable:
            raise NotFindable(token.method)
        if str(token.params.get("id", "")).startswith("404"):
            raise NotFound("fake 404", method=token.method)
        return {"id": token.params.get("id"), "server": token.server, "method": token.method, "n": [1, 2, 3]}

    async def post(self, token, body, session=None):  # type: ignore[no-untyped-def]
        self.posts.append(body)
        return {"posted": body}

    async def put(self, token, body, session=None):  # type: ignore[no-untyped-def]
        self.posts.append(body)
        return None
