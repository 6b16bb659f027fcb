"""Inspecting pipelines: their stores in order, what they hold and how they fare.

Only ``describe()`` output is shown, never a store's raw options, and anything
that looks like a credential is masked on top of that (defence in depth: a
third-party store's ``describe()`` might not be as careful as ours).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .results import PipelineInfo, StoreInfo
from .selection import resolve_pipelines

__all__ = ["HIDDEN", "ainspect_pipelines", "mask_secret", "redact"]

_SECRET_NAME = re.compile(r"(api_?key|secret|password|passwd|token|credential|auth)", re.IGNORECASE)
# Names that contain "key" or "token" but are not secrets.
_NOT_SECRET = {"key_identity", "identity", "key_prefix"}
_LOCATION_FIELDS = ("alias", "model", "location", "base_url")


HIDDEN = "(hidden)"


def mask_secret(value: Any) -> str:
    """Any secret → ``"(hidden)"``: not even a few characters survive (the key identity, a
    hash, is what tells keys apart on a page)."""
    return HIDDEN


def redact(data: Any) -> Any:
    """A copy of ``data`` with the values of secret-looking keys masked."""
    if isinstance(data, dict):
        return {
            key: mask_secret(value)
            if isinstance(key, str) and key.lower() not in _NOT_SECRET and _SECRET_NAME.search(key) and value
            else redact(value)
            for key, value in data.items()
        }
    if isinstance(data, (list, tuple)):
        return [redact(item) for item in data]
    return data


async def _store_info(pipeline: Any, index: int) -> StoreInfo:
    store = pipeline.stores[index]
    described = redact(dict(store.describe()))
    backend = described.pop("backend", f"{type(store).__module__}.{type(store).__qualname__}")
    kind = described.pop("kind", store.kind)
    expirations = described.pop("expirations", None)
    location = next((str(described[name]) for name in _LOCATION_FIELDS if described.get(name)), None)
    count: int | None = None
    count_error: str | None = None
    try:
        count = await store.count()
    except Exception as exc:  # a store that cannot be reached still gets a panel
        count_error = f"{type(exc).__name__}: {exc}"
    return StoreInfo(
        index=index,
        name=store.name,
        kind=kind,
        backend=backend,
        location=location,
        expirations=expirations,
        count=count,
        count_error=count_error,
        health=pipeline.health[index].as_dict(),
        details=described,
    )


async def ainspect_pipelines(names: Iterable[str] | str | None = None) -> list[PipelineInfo]:
    """Describe the named pipelines (None: all), each with its stores in lookup order."""
    infos = []
    for pipeline in resolve_pipelines(names):
        stores = [await _store_info(pipeline, index) for index in range(len(pipeline.stores))]
        infos.append(PipelineInfo(pipeline.model, pipeline.namespace, tuple(stores)))
    return infos
