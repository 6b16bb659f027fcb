"""``RiotAPI``: the service store that calls the Riot Games API (or its emulator).

Every call is checked against the catalogue before anything is sent (unknown
operation → ``NotFindable``, wrong routing value → ``RoutingError``, bad
parameters → ``ParameterError``, an RSO operation → ``RSOTokenRequired``: the
player's Bearer token is not sent by this store yet), waits for the rate limiter, and follows the
error-handling strategy of the status it gets (:mod:`pyot_django.riot.retry`).
The HTTP work (transport, pools, attempts, deadlines, size limits, the limiter
slot) is :class:`pyot_django.riot.http.HttpClient`'s, built from the options it shares
with the static-data stores by :class:`.http_store.HttpServiceStore`; this module keeps
its own options, their checks (:mod:`.riotapi_options`) and the delegation. The API key travels in
the ``X-Riot-Token`` header and nowhere else: not in logs, exception messages,
``repr()``, cache keys or limiter keys, nor in a local of any frame (it is held by a
masked :class:`~pyot_django.riot.http.Secret`); what separates cached data per key
is ``identity``, a short hash.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
import orjson

from ..devserver import resolve_base_url
from ..exceptions import NotFindable, RSOTokenRequired
from ..riot import build_path, check_query, check_server, encode_query, endpoints_for_game
from ..riot.http import Secret, full_url, key_identity
from ..riot.served_on import RSO_OPERATIONS
from .base import OptionProblem, StoreContext
from .http_store import HttpServiceStore
from .riotapi_options import DEFAULT_BASE_URL, key_problems, url_problems

if TYPE_CHECKING:
    from ..pipeline.token import PipelineToken

__all__ = ["RiotAPI", "key_identity"]

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


class RiotAPI(HttpServiceStore):
    """Fetches from the Riot API; options API_KEY, BASE_URL, TIMEOUT, RATE_LIMITER, ERROR_HANDLING,
    LOG_LEVEL, DEADLINE, MAX_RETRY_AFTER, MAX_RESPONSE_SIZE. The HTTP work is the client's
    (:class:`pyot_django.riot.http.HttpClient`); this store checks tokens and delegates."""

    OPTIONS = HttpServiceStore.OPTIONS | {"API_KEY", "BASE_URL", "LOG_LEVEL"}
    DEFAULT_RATE_LIMITER: ClassVar[Any] = {}  # a MemoryLimiter: Riot's limits are enforced per key

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        # Rebinding ``options`` to a copy whose key is a masked Secret leaves no frame of this
        # call holding the raw key (error pages render frame locals, DEBUG on or off).
        options, problem = _checked_and_masked(options, context)
        if problem:
            from ..exceptions import ImproperlyConfiguredPipeline

            raise ImproperlyConfiguredPipeline(problem)
        super().__init__(options, context)
        secret: Secret = options["API_KEY"]
        self._identity = secret.identity
        # "emulator" is the in-process emulator (devserver); any other URL is used as is.
        self.base_url: str = resolve_base_url(options.get("BASE_URL", DEFAULT_BASE_URL))
        level = options.get("LOG_LEVEL", logging.DEBUG)
        self.client = self.build_client(
            options,
            context,
            secret=secret,
            log_level=_LEVELS[level] if isinstance(level, str) else int(level),  # E017 checked the name
        )
        self.endpoints = endpoints_for_game(context.game)

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        problems += key_problems(options, path)
        problems += url_problems(options, path)
        problems += cls.client_option_problems(options, path)
        level = options.get("LOG_LEVEL", logging.DEBUG)
        if not (isinstance(level, int) or level in _LEVELS):
            problems.append(
                OptionProblem(
                    "E017", f"{path}['LOG_LEVEL']", f"LOG_LEVEL {level!r} is not a logging level.", "e.g. 'DEBUG' or 10"
                )
            )
        if options.get("RATE_LIMITER", {}) is None and options.get("BASE_URL", DEFAULT_BASE_URL) == DEFAULT_BASE_URL:
            problems.append(
                OptionProblem(
                    "W004",
                    f"{path}['RATE_LIMITER']",
                    "RATE_LIMITER is None (no limiter) against the real Riot API: every 429 counts "
                    "against the key, and repeated 429s get it blacklisted.",
                    "Remove RATE_LIMITER (a MemoryLimiter) or use a RedisLimiter; None is for emulators.",
                )
            )
        return problems

    @property
    def identity(self) -> str:
        return self._identity

    def __repr__(self) -> str:
        return f"<RiotAPI {self.context.pipeline} key={self._identity} base={self.base_url}>"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            base_url=self.base_url,
            key_identity=self._identity,  # the key itself is never shown, not even in part
        )  # the client's bounds: HttpServiceStore.describe
        return info

    # -- requests ----------------------------------------------------------------------------

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("GET", token, None, session)

    async def post(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("POST", token, body, session)

    async def put(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("PUT", token, body, session)

    def url_for(self, token: PipelineToken) -> str:
        """The URL of ``token`` (checked against the catalogue; raises before any request)."""
        endpoint = self.endpoints.get(token.method)
        if endpoint is None:
            from ..riot import get_endpoint

            get_endpoint(self.context.game, token.method)  # raises NotFindable with suggestions
            raise NotFindable(token.method)
        check_server(endpoint, token.server)
        check_query(endpoint, token.queries)
        if endpoint.operation_id in RSO_OPERATIONS:
            raise RSOTokenRequired(
                "RSO operation: needs the player's Bearer token; not supported by the RiotAPI store yet",
                method=token.method,
                server=token.server,
            )
        return self.base_url.format(server=token.server) + build_path(endpoint, token.params)

    async def _call(self, verb: str, token: PipelineToken, body: Any, session: httpx.AsyncClient | None) -> Any:
        endpoint = self.endpoints.get(token.method)
        if endpoint is None or endpoint.http_method != verb:
            if endpoint is None:
                self.url_for(token)
            raise NotFindable(f"{token.method} is a {endpoint.http_method if endpoint else '?'} operation, not {verb}")
        url = full_url(self.url_for(token), encode_query(token.queries) if token.queries else None)
        return await self.client.request(
            verb,
            url,
            server=token.server,
            method=token.method,
            content=orjson.dumps(body) if body is not None else None,
            returns=endpoint.returns,
            session=session,
        )


def _checked_and_masked(options: Mapping[str, Any], context: StoreContext) -> tuple[dict[str, Any], str | None]:
    """A copy of ``options`` with the key wrapped in a Secret, and the first error, if any."""
    errors = [p for p in RiotAPI.option_problems(options, context.path, context.game) if p.check_id[0] == "E"]
    masked = dict(options)
    if errors:
        masked.pop("API_KEY", None)
        return masked, f"{errors[0].key}: {errors[0].message} {errors[0].hint}"
    masked["API_KEY"] = Secret(options["API_KEY"])
    return masked, None
