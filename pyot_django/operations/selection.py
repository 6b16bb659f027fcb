"""Turning operator input (names, a store index, ``key=value`` text) into pipelines and tokens.

Every front-end goes through here, so a typo gets the same message from the
command line, a Celery result and the admin page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..exceptions import ParameterError, PyotError
from ..stores.base import CacheStore

if TYPE_CHECKING:
    from ..pipeline import Pipeline, PipelineToken
    from ..stores.base import Store

__all__ = [
    "InvalidStore",
    "UnknownPipeline",
    "build_token",
    "configured_names",
    "parse_pairs",
    "resolve_pipelines",
    "select_store",
]


class UnknownPipeline(PyotError, LookupError):
    """One or more pipeline names are not in ``settings.PYOT``; the message lists the configured ones."""

    def __init__(self, message: str, *, unknown: Iterable[str] = (), configured: Iterable[str] = ()) -> None:
        # Only the message is a positional argument, so the exception survives pickling and
        # Celery's result serialisation unchanged.
        super().__init__(message)
        self.unknown = tuple(unknown)
        self.configured = tuple(configured)


class InvalidStore(PyotError, ValueError):
    """A store index that does not exist, or names a store that keeps no data."""


def configured_names() -> list[str]:
    """The pipeline names of ``settings.PYOT`` in their configured order."""
    from ..pipeline import pipelines

    return list(pipelines)


def resolve_pipelines(names: Iterable[str] | str | None = None) -> list[Pipeline]:
    """The pipelines called ``names`` (None or empty: all), in order, without duplicates.

    Unknown names raise one ``UnknownPipeline`` naming all of them, before anything is done.
    """
    from ..pipeline import pipelines

    configured = list(pipelines)
    if isinstance(names, str):
        names = [names]
    wanted: list[str] = []
    for name in names or configured:
        lowered = str(name).lower()
        if lowered not in wanted:
            wanted.append(lowered)
    unknown = [name for name in wanted if name not in configured]
    if unknown:
        listing = ", ".join(configured) if configured else "none; add pipelines to settings.PYOT"
        plural = "s" if len(unknown) > 1 else ""
        raise UnknownPipeline(
            f"Unknown pipeline{plural} {', '.join(repr(name) for name in unknown)}. Configured: {listing}.",
            unknown=unknown,
            configured=configured,
        )
    return [pipelines[name] for name in wanted]


def select_store(pipeline: Pipeline, index: int) -> Store:
    """Store ``index`` of ``pipeline``; it must be a cache store (services keep nothing to clear)."""
    stores = pipeline.stores
    if not 0 <= index < len(stores):
        raise InvalidStore(
            f"Pipeline {pipeline.model!r} has no store {index}; its stores are "
            + ", ".join(f"{position} ({store.name})" for position, store in enumerate(stores))
            + "."
        )
    store = stores[index]
    if not isinstance(store, CacheStore):
        raise InvalidStore(
            f"Store {index} of {pipeline.model!r} ({store.name}) is a {store.kind} store; it keeps no data."
        )
    return store


def parse_pairs(items: Iterable[str]) -> dict[str, Any]:
    """``["a=1", "b=x", "b=y"]`` → ``{"a": "1", "b": ["x", "y"]}``; blank items are ignored.

    Only the first ``=`` splits, so values may contain ``=`` (Riot ids can).
    """
    pairs: dict[str, Any] = {}
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"Expected key=value, got {raw!r}.")
        if name in pairs:
            previous = pairs[name]
            pairs[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            pairs[name] = value
    return pairs


_CONVERTERS = {"int": int, "float": float, "bool": lambda text: text.lower() in ("1", "true", "yes", "on")}


def _coerce_queries(pipeline: Pipeline, method: str, queries: Mapping[str, Any]) -> dict[str, Any]:
    # Text from a command line or a form: convert to the type the catalogue declares, so the
    # request is what Riot expects. Unknown names are left for check_query to report.
    from ..riot import get_endpoint

    specs = get_endpoint(pipeline.model, method).query_params
    coerced: dict[str, Any] = {}
    for name, value in queries.items():
        spec = specs.get(name)
        convert = _CONVERTERS.get(spec.type) if spec is not None else None
        if convert is None or not isinstance(value, (str, list)):
            coerced[name] = value
            continue
        try:
            if spec is not None and spec.is_list:
                coerced[name] = [convert(item) for item in (value if isinstance(value, list) else [value])]
            else:
                coerced[name] = [convert(item) for item in value] if isinstance(value, list) else convert(value)
        except ValueError:
            raise ParameterError(f"{method}: query parameter {name!r} must be {spec.type}, got {value!r}.") from None
    return coerced


def build_token(
    pipeline: Pipeline,
    server: str,
    method: str,
    params: Mapping[str, Any] | None = None,
    queries: Mapping[str, Any] | None = None,
) -> PipelineToken:
    """A catalogue-checked token; raises ``NotFindable``, ``RoutingError`` or ``ParameterError``."""
    server = server.strip().lower()
    method = method.strip()
    coerced = _coerce_queries(pipeline, method, queries or {})
    return pipeline.token(method, server, queries=coerced, **dict(params or {}))
