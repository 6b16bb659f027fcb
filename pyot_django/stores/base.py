"""The Store contract every pipeline stage implements.

A store is either a *cache* (keeps data: Memory, DjangoCache, DjangoORM) or a
*service* (fetches data: RiotAPI). ``get`` answers ``NotFound``, ``NotFindable`` or
``NotImplementedError`` to pass the token on to the next store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import orjson

from ..exceptions import ImproperlyConfiguredPipeline, PyotError
from .expirations import Expirations, expiration_problem

if TYPE_CHECKING:
    import httpx

    from ..pipeline.token import PipelineToken

__all__ = [
    "DEFAULT_MAX_VALUE_SIZE",
    "CacheStore",
    "OptionProblem",
    "ServiceStore",
    "Store",
    "StoreContext",
    "ValueRefused",
]

# A timeline, the largest real payload, is ~0.9 MB of JSON: 4 MiB leaves room and
# keeps one runaway answer from filling a Redis or a table row.
DEFAULT_MAX_VALUE_SIZE = 4 * 1024 * 1024


class ValueRefused(PyotError):
    """A cache store will not keep this one value (``None``, too large, not storable).

    A refusal is about the value, not the store: the pipeline logs it once per store
    and reason and passes the value on; the store stays in service for every other token.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class StoreContext:
    """Where a store sits: its pipeline, game model, position and setting path."""

    pipeline: str
    game: str
    index: int
    path: str


@dataclass(frozen=True)
class OptionProblem:
    """One problem with a store's options, found without building the store.

    ``check_id`` is the system check it is reported as (``E###``/``W###`` of pyot_django).
    """

    check_id: str
    key: str
    message: str
    hint: str


class Store:
    """Base of every store: ``get`` and the plumbing. Subclass ``CacheStore`` or ``ServiceStore``.

    The pipeline tells the two apart by type: cache verbs (``set``, ``get_sync``,
    ``clear``, ``expire``, ``delete``, ``contains``) live on ``CacheStore``, sending
    (``post``, ``put``) on ``ServiceStore``. ``kind`` names the family for display.
    """

    kind: ClassVar[Literal["cache", "service"]]
    OPTIONS: ClassVar[frozenset[str]] = frozenset({"BACKEND"})

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        unknown = set(options) - self.OPTIONS
        if unknown:
            raise ImproperlyConfiguredPipeline(
                f"{context.path}: unknown option(s) {sorted(unknown)} for {type(self).__name__}; "
                f"valid options are {sorted(self.OPTIONS)}"
            )
        self.context = context
        self.options = dict(options)

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        """Problems with ``options`` that system checks report (no I/O, no building)."""
        unknown = sorted(set(options) - cls.OPTIONS)
        return [
            OptionProblem(
                "E007",
                f"{path}[{name!r}]",
                f"Unknown option {name!r} for {cls.__name__}.",
                f"Valid options: {', '.join(sorted(cls.OPTIONS))}.",
            )
            for name in unknown
        ]

    @property
    def name(self) -> str:
        return type(self).__name__

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What an operator sees of this store (no secrets)."""
        return {"backend": f"{type(self).__module__}.{type(self).__qualname__}", "kind": self.kind}

    async def count(self) -> int | None:
        """How many entries this store holds, when it can count cheaply."""
        return None

    async def aclose(self) -> None:
        """Release connections; called when the pipeline is rebuilt or closed."""

    def bind_namespace(self, namespace: str) -> None:
        """Receive the owning pipeline's namespace (pipeline name + API key identity)."""


class CacheStore(Store):
    """A store that keeps data for a time decided per operation."""

    kind = "cache"
    OPTIONS = Store.OPTIONS | {"EXPIRATIONS", "MAX_VALUE_SIZE"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.expirations = Expirations(options.get("EXPIRATIONS"))
        self.max_value_size: int | None = options.get("MAX_VALUE_SIZE", DEFAULT_MAX_VALUE_SIZE)
        self.namespace = context.pipeline
        self._namespace_bound = False

    def bind_namespace(self, namespace: str) -> None:
        """Take the namespace of the first pipeline that owns this store, once.

        The registry builds every store for one pipeline and binds it there; a
        pipeline built later over the same store object (``Pipeline("lol", [store])``)
        must not move the entries of the live one, so later calls change nothing.
        """
        if self._namespace_bound:
            return
        self._namespace_bound = True
        self.namespace = namespace
        self._apply_namespace(namespace)

    def _apply_namespace(self, namespace: str) -> None:
        """Derive the store's own key prefixes from ``namespace`` (subclasses)."""

    async def set(self, token: PipelineToken, value: Any) -> None:
        """Keep ``value`` for ``token``; ``ValueRefused`` for a value this store will not hold."""
        raise NotImplementedError

    def get_sync(self, token: PipelineToken) -> Any:
        """A blocking read for sync callers; stores without one are read through ``get``."""
        raise NotImplementedError

    async def clear(self) -> int | None:
        """Remove this store's entries (its namespace only); returns how many when it can tell."""
        raise NotImplementedError

    async def expire(self) -> int | None:
        """Drop expired entries of its namespace; returns how many when it can tell cheaply."""
        raise NotImplementedError

    async def delete(self, token: PipelineToken) -> bool:
        raise NotImplementedError

    async def contains(self, token: PipelineToken) -> bool:
        raise NotImplementedError

    def encode_checked(self, token: PipelineToken, value: Any) -> bytes:
        """``value`` as JSON, or ``ValueRefused`` when it is not JSON or exceeds ``MAX_VALUE_SIZE``."""
        try:
            raw = orjson.dumps(value)
        except TypeError as exc:
            raise ValueRefused(f"{token.method} value is not JSON: {exc}", reason="not JSON") from None
        limit = self.max_value_size
        if limit is not None and len(raw) > limit:
            raise ValueRefused(
                f"{token.method} value of {len(raw)} bytes exceeds {self.name}'s MAX_VALUE_SIZE of {limit} bytes",
                reason="size",
            )
        return raw

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        size = options.get("MAX_VALUE_SIZE", DEFAULT_MAX_VALUE_SIZE)
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            problems.append(
                OptionProblem(
                    "E027",
                    f"{path}['MAX_VALUE_SIZE']",
                    f"MAX_VALUE_SIZE must be a positive int of bytes or None (no limit), not {size!r}.",
                    f"e.g. {DEFAULT_MAX_VALUE_SIZE} (the default, 4 MiB; a match timeline is ~0.9 MB).",
                )
            )
        expirations = options.get("EXPIRATIONS")
        if expirations is None:
            return problems
        key = f"{path}['EXPIRATIONS']"
        if not isinstance(expirations, Mapping):
            problems.append(
                OptionProblem("E009", key, "EXPIRATIONS must be a dict.", 'e.g. {"*": 600, "match-v5.getMatch": -1}')
            )
            return problems
        from ..riot import endpoints_for_game

        known = endpoints_for_game(game)
        families = {name.split(".", 1)[0] for name in known}
        for method, value in expirations.items():
            problem = expiration_problem(value)
            if problem:
                problems.append(
                    OptionProblem(
                        "E009",
                        f"{key}[{method!r}]",
                        f"Expiration {problem}.",
                        "Use seconds or a timedelta; 0 = never keep, -1 = keep forever.",
                    )
                )
            if method != "*" and method not in known and method not in families:
                from difflib import get_close_matches

                close = get_close_matches(str(method), list(known), n=1)
                problems.append(
                    OptionProblem(
                        "E010",
                        f"{key}[{method!r}]",
                        f"{method!r} is not a Riot operation of the {game!r} game.",
                        f"Did you mean {close[0]!r}?" if close else "Use operation ids such as 'match-v5.getMatch'.",
                    )
                )
        if not Expirations(expirations).caches_anything():
            problems.append(
                OptionProblem(
                    "W002",
                    key,
                    f"{cls.__name__} caches nothing: every expiration is 0.",
                    "Remove the store or give some operations a positive expiration.",
                )
            )
        return problems

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["expirations"] = self.expirations.as_dict()
        info["max_value_size"] = self.max_value_size
        return info


class ServiceStore(Store):
    """A store that fetches from a service (sits last; never a sink)."""

    kind = "service"

    async def post(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        raise NotImplementedError

    async def put(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        raise NotImplementedError

    @property
    def identity(self) -> str | None:
        """Short, non-secret identity of the credentials (separates cached data per key)."""
        return None
