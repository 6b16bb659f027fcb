"""``StaticStore``: the shared base of the static-data service stores.

A static store serves one family of ``STATIC_ENDPOINTS`` (``ddragon.*``, ``cdragon.*``
…) from its ``BASE_URL`` and answers ``NotFindable`` for every other token, so it
can sit anywhere among the service stores. Like ``RiotAPI`` it checks a token
before sending and hands the HTTP work to :class:`pyot_django.riot.http.HttpClient`:
the same attempt loop, ``ERROR_HANDLING`` strategies (a timeout or broken connection
follows 504's), per-attempt ``TIMEOUT``, per-lookup deadline (``DEADLINE`` or the
caller's), ``Retry-After`` cap and ``MAX_RESPONSE_SIZE`` (64 MiB by default:
CommunityDragon's TFT file is ~30 MB), checked under the same ids. It needs no API
key and has no rate limiter unless ``RATE_LIMITER`` is given.

The data it fetches is cached by the cache stores in front of it (default
expirations: hours, see ``stores.expirations``); the store itself keeps only what
it needs to resolve ``latest`` (see ``DDragon``), for its ``EXPIRATIONS``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ...exceptions import NotFindable
from ...riot import build_path, check_query, check_server, encode_query
from ...riot.http import full_url
from ...riot.static_catalogue import STATIC_ENDPOINTS, StaticEndpoint
from ..base import OptionProblem, StoreContext
from ..expirations import Expirations
from ..http_store import HttpServiceStore

if TYPE_CHECKING:
    import httpx

    from ...pipeline.token import PipelineToken

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "StaticStore"]

logger = logging.getLogger("pyot_django.static")

DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024
"""Bytes: Data Dragon's ``championFull.json`` is ~4 MB, CommunityDragon's TFT file ~30 MB."""

_ROUTING = "global"  # every static operation's routing value (see static_catalogue)


class StaticStore(HttpServiceStore):
    """Base of DDragon, CDragon, MerakiCDN and ValorantContent (set ``family`` and ``DEFAULT_BASE_URL``)."""

    family: ClassVar[str]
    DEFAULT_BASE_URL: ClassVar[str]
    OPTIONS = HttpServiceStore.OPTIONS | {"BASE_URL", "EXPIRATIONS"}
    DEFAULT_RATE_LIMITER = None  # static CDNs publish no rate limits: none unless asked for
    DEFAULT_MAX_RESPONSE_SIZE = DEFAULT_MAX_RESPONSE_SIZE

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        problems = [p for p in self.option_problems(options, context.path, context.game) if p.check_id[0] == "E"]
        if problems:
            from ...exceptions import ImproperlyConfiguredPipeline

            raise ImproperlyConfiguredPipeline(f"{problems[0].key}: {problems[0].message} {problems[0].hint}")
        self.base_url: str = str(options.get("BASE_URL", self.DEFAULT_BASE_URL)).rstrip("/")
        self.expirations = Expirations(options.get("EXPIRATIONS"))
        # Its family names the limiter's scope: a CDN's 429 pauses only that CDN.
        self.client = self.build_client(options, context, logger=logger, limiter_scope=self.family)
        self.endpoints: Mapping[str, StaticEndpoint] = {
            oid: ep for oid, ep in STATIC_ENDPOINTS.items() if ep.family == self.family
        }

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        for key in cls.url_options():
            url = options.get(key, getattr(cls, f"DEFAULT_{key}", None))
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                problems.append(
                    OptionProblem(
                        "E028",
                        f"{path}[{key!r}]",
                        f"{key} must be an http(s) URL, not {url!r}.",
                        f"Default: {getattr(cls, f'DEFAULT_{key}', '')!r}; the emulator: RunningEmulator.static_url().",
                    )
                )
        problems += cls.client_option_problems(options, path)  # as RiotAPI's, under the same ids
        return problems

    @classmethod
    def url_options(cls) -> tuple[str, ...]:
        return ("BASE_URL",)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.context.pipeline} base={self.base_url}>"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(base_url=self.base_url, family=f"{self.family}.*")
        return info

    # -- requests ----------------------------------------------------------------------------

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        endpoint = self.endpoints.get(token.method)
        if endpoint is None:
            raise NotFindable(f"{type(self).__name__} serves {self.family}.* operations, not {token.method}")
        check_server(endpoint, token.server)
        check_query(endpoint, token.queries)
        params = await self.resolve_params(endpoint, dict(token.params), session)
        url = full_url(self.url_of(endpoint, params), encode_query(token.queries) if token.queries else None)
        return await self.get_json(url, endpoint, session)

    async def post(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        raise NotFindable(f"{type(self).__name__} only reads; {token.method} cannot be sent")

    put = post

    def url_of(self, endpoint: StaticEndpoint, params: Mapping[str, object]) -> str:
        """The URL of ``endpoint`` with ``params`` (checked: raises ``ParameterError``)."""
        return self.base_url + build_path(endpoint, params)

    async def resolve_params(
        self, endpoint: StaticEndpoint, params: dict[str, Any], session: httpx.AsyncClient | None
    ) -> dict[str, Any]:
        """Hook: turn ``version="latest"`` and the like into what the source serves."""
        return params

    async def get_json(self, url: str, endpoint: StaticEndpoint, session: httpx.AsyncClient | None = None) -> Any:
        """GET ``url`` for ``endpoint`` through the client: its value, or the client's typed error."""
        return await self.client.request(
            "GET", url, server=_ROUTING, method=endpoint.operation_id, returns=endpoint.returns, session=session
        )
