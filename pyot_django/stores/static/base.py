"""``StaticStore``: the shared base of the static-data service stores.

A static store serves one family of ``STATIC_ENDPOINTS`` (``ddragon.*``, ``cdragon.*``
…) from its ``BASE_URL`` and answers ``NotFindable`` for every other token, so it
can sit anywhere among the service stores. Like ``RiotAPI`` it checks a token
before sending, follows the ``ERROR_HANDLING`` strategies (the same defaults; a
timeout or broken connection follows 504's), bounds each attempt by ``TIMEOUT``
and by the lookup's deadline, and bounds the body by ``MAX_BYTES``. It needs no API
key and has no rate limiter unless ``RATE_LIMITER`` is given.

The data it fetches is cached by the cache stores in front of it (default
expirations: hours, see ``stores.expirations``); the store itself keeps only what
it needs to resolve ``latest`` (see ``DDragon``), for its ``EXPIRATIONS``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from ...exceptions import NotFindable, RateLimited, ServerError, Timeout, error_for_status
from ...riot import build_path, check_query, check_server, encode_query
from ...riot.deadline import current_deadline
from ...riot.retry import TIMEOUT_STATUS, error_handling_problem, parse_error_handling, strategy_for
from ...riot.static_catalogue import STATIC_ENDPOINTS, StaticEndpoint
from ..base import OptionProblem, ServiceStore, StoreContext
from ..expirations import Expirations
from .http import DEFAULT_MAX_BYTES, TIMEOUT_ERRORS, TRANSPORT_ERRORS, BodyTooLarge, Client, full_url

if TYPE_CHECKING:
    import httpx

    from ...pipeline.token import PipelineToken

__all__ = ["StaticStore"]

logger = logging.getLogger("pyot_django.static")

DEFAULT_TIMEOUT = 10.0


class StaticStore(ServiceStore):
    """Base of DDragon, CDragon, MerakiCDN and ValorantContent (set ``family`` and ``DEFAULT_BASE_URL``)."""

    family: ClassVar[str]
    DEFAULT_BASE_URL: ClassVar[str]
    OPTIONS = ServiceStore.OPTIONS | {
        "BASE_URL",
        "TIMEOUT",
        "ERROR_HANDLING",
        "RATE_LIMITER",
        "MAX_BYTES",
        "EXPIRATIONS",
    }

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        problems = [p for p in self.option_problems(options, context.path, context.game) if p.check_id[0] == "E"]
        if problems:
            from ...exceptions import ImproperlyConfiguredPipeline

            raise ImproperlyConfiguredPipeline(f"{problems[0].key}: {problems[0].message} {problems[0].hint}")
        self.base_url: str = str(options.get("BASE_URL", self.DEFAULT_BASE_URL)).rstrip("/")
        self.timeout = float(options.get("TIMEOUT", DEFAULT_TIMEOUT))
        self.strategies = parse_error_handling(options.get("ERROR_HANDLING"))
        self.expirations = Expirations(options.get("EXPIRATIONS"))
        self.limiter = self._build_limiter(options.get("RATE_LIMITER"), f"{context.path}['RATE_LIMITER']")
        self.client = Client(int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES)))
        self.endpoints: Mapping[str, StaticEndpoint] = {
            oid: ep for oid, ep in STATIC_ENDPOINTS.items() if ep.family == self.family
        }

    @staticmethod
    def _build_limiter(config: Any, path: str) -> Any:
        if not config:
            return None  # static CDNs publish no rate limits: none unless asked for
        from ...limiters import build_limiter

        return build_limiter(config, setting_path=path)

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
        for key, default in (("TIMEOUT", DEFAULT_TIMEOUT), ("MAX_BYTES", DEFAULT_MAX_BYTES)):
            value = options.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                problems.append(
                    OptionProblem(
                        "E028",
                        f"{path}[{key!r}]",
                        f"{key} must be a positive number, not {value!r}.",
                        f"Default: {default}.",
                    )
                )
        problem = error_handling_problem(options.get("ERROR_HANDLING", {}))
        if problem:
            problems.append(
                OptionProblem(
                    "E028",
                    f"{path}['ERROR_HANDLING']",
                    f"ERROR_HANDLING {problem}.",
                    'e.g. {503: ("E", [1, 3]), 500: ("R", [2])}',
                )
            )
        return problems

    @classmethod
    def url_options(cls) -> tuple[str, ...]:
        return ("BASE_URL",)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.context.pipeline} base={self.base_url}>"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            base_url=self.base_url,
            timeout=self.timeout,
            family=f"{self.family}.*",
            limiter=type(self.limiter).__name__ if self.limiter is not None else "off",
        )
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
        return await self.get_json(url, token.method, session)

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

    async def get_json(self, url: str, method: str, session: httpx.AsyncClient | None = None) -> Any:
        """GET ``url`` and decode it, following the error strategies; 404 → ``NotFound``."""
        attempts: dict[int, int] = {}
        while True:
            started = time.perf_counter()
            try:
                answer = await self._send(url, method, session)
            except (*TIMEOUT_ERRORS, TimeoutError) as exc:
                failure: BaseException = Timeout(
                    f"no answer from {self.name}: {type(exc).__name__}", status=TIMEOUT_STATUS, method=method
                )
                await self._retry_or_raise(TIMEOUT_STATUS, None, attempts, failure, method)
                continue
            except TRANSPORT_ERRORS as exc:
                failure = ServerError(
                    f"connection to {self.name} failed: {type(exc).__name__}", status=502, method=method
                )
                await self._retry_or_raise(TIMEOUT_STATUS, None, attempts, failure, method)
                continue
            except BodyTooLarge as exc:
                raise ServerError(f"{self.name}: {exc}", status=502, method=method) from None
            logger.debug(
                "GET %s %s %d %.0f ms", self.name, method, answer.status, (time.perf_counter() - started) * 1000
            )
            if answer.status < 300:
                try:
                    return orjson.loads(answer.content)
                except orjson.JSONDecodeError:
                    failure = ServerError(f"{self.name} answered malformed JSON", status=500, method=method)
                    await self._retry_or_raise(500, None, attempts, failure, method)
                    continue
            failure = error_for_status(answer.status, f"{self.name} answered HTTP {answer.status}", method=method)
            if answer.status == 404:
                raise failure
            retry_after = _retry_after(answer.headers.get("retry-after")) if answer.status in (429, 503) else None
            if retry_after is not None and isinstance(failure, RateLimited):
                failure.retry_after = retry_after
            await self._retry_or_raise(answer.status, retry_after, attempts, failure, method)

    async def _send(self, url: str, method: str, session: httpx.AsyncClient | None) -> Any:
        timeout = self.timeout
        deadline = current_deadline.get()
        if deadline is not None:
            if deadline.expired:
                raise TimeoutError("the lookup's deadline passed")
            timeout = min(timeout, deadline.remaining())
        if self.limiter is None:
            return await self.client.get(url, timeout, session)
        async with self.limiter.slot(self.family, "global", method) as slot:
            answer = await self.client.get(url, timeout, session)
            await slot.record(answer.status, answer.headers)
            return answer

    async def _retry_or_raise(
        self, status: int, retry_after: float | None, attempts: dict[int, int], failure: BaseException, method: str
    ) -> None:
        strategy = strategy_for(self.strategies, status)
        attempt = attempts.get(status, 0)
        if attempt >= strategy.retries:
            raise failure
        attempts[status] = attempt + 1
        delay = strategy.delay(attempt) if retry_after is None else max(strategy.delay(attempt), retry_after)
        deadline = current_deadline.get()
        if deadline is not None and not deadline.allows(delay):
            raise failure  # waiting would outlive the lookup's deadline
        logger.warning(
            "%s %s: %s; retry %d/%d in %.2f s", self.name, method, failure, attempt + 1, strategy.retries, delay
        )
        if delay:
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        await self.client.aclose()
        if self.limiter is not None and hasattr(self.limiter, "aclose"):
            await self.limiter.aclose()


_MAX_RETRY_AFTER = 600.0  # a CDN asking for more than 10 minutes is not waited for that long


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if seconds != seconds or seconds < 0:  # NaN or negative: garbage
        return None
    return min(seconds, _MAX_RETRY_AFTER)
